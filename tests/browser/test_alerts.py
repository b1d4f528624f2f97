"""Email alerts around a point, chosen on a phone: "Use my location", a radius shown as a circle on the
map, subscribe, and the alert is in "my alerts". Also: tapping the map at 1280 px, a refused location
and the form without JavaScript (typed coordinates). Axe-checked."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, fits, log_in, screenshot

pytestmark = pytest.mark.browser

RESIDENT = "lucas@demo.civic.test"
# The demo commune's centre, which is also the centre of the site's map.
CENTRE = {"latitude": 47.327, "longitude": 1.452}


def _circle_radius_px(page) -> float:
    """The drawn circle's size on screen (Leaflet draws it as an SVG path)."""
    box = page.locator("#alert-map path").first.bounding_box()
    return box["width"] / 2


def _circle_inside_map(page) -> bool:
    map_box = page.locator("#alert-map").bounding_box()
    circle = page.locator("#alert-map path").first.bounding_box()
    return (
        circle["x"] >= map_box["x"] - 1
        and circle["y"] >= map_box["y"] - 1
        and circle["x"] + circle["width"] <= map_box["x"] + map_box["width"] + 1
        and circle["y"] + circle["height"] <= map_box["y"] + map_box["height"] + 1
    )


def test_a_resident_subscribes_around_their_location_from_a_phone(new_page, axe):
    page = new_page(PHONE, geolocation=CENTRE, permissions=["geolocation"])
    log_in(page, RESIDENT, "/signalements/mes-alertes/")
    rows_before = page.locator("table tbody tr").count()

    page.goto("/signalements/alertes/")
    picker = page.locator("#alert-map-picker")
    assert picker.is_visible(), "the map picker is shown when JavaScript runs"
    assert page.locator("#alert-map .leaflet-marker-icon").count() == 0
    fits(page, PHONE)
    axe(page, "the alert form at 375 px")
    screenshot(page, "signalements-alert-form-375")

    page.locator("#alert-locate-me").click()
    page.wait_for_selector("#alert-map .leaflet-marker-icon")
    # The point is written in the (still present and labelled) fields, "Around a point" is chosen,
    # and the point is announced to screen readers.
    assert page.locator("#id_latitude").input_value() == "47.327000"
    assert page.locator("#id_longitude").input_value() == "1.452000"
    assert page.get_by_label("Latitude").is_visible() and page.get_by_label("Longitude").is_visible()
    assert page.locator('input[name="where"][value="point"]').is_checked()
    status = page.locator("#alert-map-status")
    assert status.get_attribute("role") == "status"
    assert "47.327000" in status.inner_text() and "1.452000" in status.inner_text()
    assert "500" in status.inner_text()  # the initial radius

    # The circle follows the radius field: smaller at the same zoom, then the map zooms out to show a larger one whole.
    at_500 = _circle_radius_px(page)
    radius = page.locator("#id_radius")
    radius.fill("300")
    assert _circle_radius_px(page) == pytest.approx(at_500 * 0.6, rel=0.05)
    radius.fill("800")
    radius.dispatch_event("change")
    assert "800" in status.inner_text()
    assert _circle_inside_map(page), "the map zooms out to show the whole circle"
    axe(page, "the alert form with a point chosen at 375 px")
    screenshot(page, "signalements-alert-form-located-375")

    page.locator("form.report-alert-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/signalements/mes-alertes/$"))
    rows = page.locator("table tbody tr")
    assert rows.count() == rows_before + 1
    # The place is named by its area (and street, when the address service is on), not by coordinates.
    new_row = rows.filter(has_text="dans un rayon de 800 m autour d’un point de la zone Centre-ville")
    assert new_row.count() == 1, rows.all_inner_texts()
    assert "47.32700" not in new_row.inner_text() and "1.45200" not in new_row.inner_text()
    fits(page, PHONE)
    axe(page, "my alerts at 375 px")
    screenshot(page, "signalements-alert-list-375")

    # Tidy up, so the test can run again on the same server.
    new_row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/signalements/mes-alertes/$"))
    assert page.locator("table tbody tr").count() == rows_before


def test_tapping_the_map_sets_the_point_and_a_refused_location_says_what_to_do(new_page, axe):
    page = new_page(DESKTOP)  # no geolocation permission: the browser refuses
    page.goto("/signalements/alertes/")
    page.locator("#alert-locate-me").click()
    status = page.locator("#alert-map-status")
    page.wait_for_function(
        "document.getElementById('alert-map-status').textContent.length > 0 && !document.getElementById('alert-map-status').textContent.endsWith('…')"
    )
    assert re.search(r"refused|refus", status.inner_text()), status.inner_text()
    assert page.locator("#id_latitude").input_value() == ""

    box = page.locator("#alert-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.4)
    page.wait_for_selector("#alert-map .leaflet-marker-icon")
    lat, lon = float(page.locator("#id_latitude").input_value()), float(page.locator("#id_longitude").input_value())
    assert lat > CENTRE["latitude"] and lon > CENTRE["longitude"], "right of and above the centre"
    assert page.locator('input[name="where"][value="point"]').is_checked()
    assert f"{lat:.6f}" in status.inner_text()

    # A typed position moves the pin (keyboard path).
    page.locator("#id_latitude").fill("47.330000")
    page.locator("#id_longitude").fill("1.450000")
    page.locator("#id_longitude").press("Tab")
    assert "47.330000" in status.inner_text() and "1.450000" in status.inner_text()
    assert _circle_inside_map(page), "the map moves to the typed position"
    fits(page, DESKTOP)
    axe(page, "the alert form at 1280 px")
    screenshot(page, "signalements-alert-form-1280")


def test_without_javascript_the_position_is_typed(new_page):
    page = new_page(PHONE, java_script_enabled=False)
    page.goto("/signalements/alertes/")
    assert not page.locator("#alert-map-picker").is_visible()
    assert page.get_by_label("Latitude").is_visible() and page.get_by_label("Longitude").is_visible()
    screenshot(page, "signalements-alert-form-nojs-375")
