"""A pothole reported from a phone, end to end: locate me, photo, map and list; the voirie agent
acknowledges then fixes it; the reporter is told by email and in the app. Axe-checked at 375 and 1280 px."""

import email.header
import re
import time

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import DESKTOP, PHONE, fits, log_in, screenshot, text_of

pytestmark = pytest.mark.browser

# Nadia: another browser test changes Camille's email preference to a daily digest.
CAMILLE = "nadia@demo.civic.test"
AGENT = "agent.voirie@demo.civic.test"
# The demo commune's centre, which is also the centre of the site's map.
CENTRE = {"latitude": 47.327, "longitude": 1.452}
LOCATED_PHONE = {"geolocation": CENTRE, "permissions": ["geolocation"]}


def _bell_count(page) -> int:
    text = page.locator("#bell-count").inner_text().strip()
    match = re.match(r"\d+", text)
    return int(match.group(0)) if match else 0


def _names_report(text: str, report_id: int) -> bool:
    """Reports are named "#12" in English and "n° 12" in French."""
    return re.search(rf"(#|n° ){report_id}\b", text) is not None


def _subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))


def _pothole_photo(path):
    image = Image.new("RGB", (800, 600), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 800, 600), fill=(100, 100, 100))
    draw.ellipse((280, 400, 520, 480), fill=(40, 30, 25))
    image.save(path, format="JPEG", quality=80)
    return path


def _staff_respond(page, report_id: int, state: str, text: str):
    page.goto(f"/signalements/{report_id}/")
    form = page.locator(".report-staff form")
    form.locator("#id_new_state").select_option(state)
    form.locator("#id_text").fill(text)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/signalements/{report_id}/#timeline$"))
    assert page.locator(f".report-detail .report-state--{state}").count() >= 1


def _wait_for_emails(demo_server, address: str, report_id: int, count: int, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in demo_server.emails_to(address) if f"/signalements/{report_id}/" in text_of(m)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_pothole_reported_from_a_phone_is_acknowledged_then_fixed(new_page, demo_server, axe, tmp_path):
    photo = _pothole_photo(tmp_path / "nid-de-poule.jpg")

    # --- Camille reports from her phone, with her position.
    page = new_page(PHONE, **LOCATED_PHONE)
    log_in(page, CAMILLE, "/signalements/nouveau/")
    assert page.url.endswith("/signalements/nouveau/")
    bell_before = _bell_count(page)
    page.wait_for_selector("#report-form-map.leaflet-container")
    fits(page, PHONE)
    axe(page, "the report form at 375 px")
    screenshot(page, "signalements-form-375")

    page.locator("#locate-me").click()
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    assert float(page.locator("#id_latitude").input_value()) == pytest.approx(CENTRE["latitude"], abs=1e-5)
    assert float(page.locator("#id_longitude").input_value()) == pytest.approx(CENTRE["longitude"], abs=1e-5)
    assert page.locator("#report-form-map .leaflet-marker-icon").count() == 1, "the pin is on the map"

    page.locator("input[name=category][value=nid-de-poule]").check()
    questions = page.locator("fieldset.report-form__questions[data-category=nid-de-poule]")
    assert questions.is_visible()
    questions.locator("select").select_option("moyen")
    page.locator("#id_description").fill("Trou profond devant la boulangerie, les vélos font un écart.")
    page.locator("#id_photos").set_input_files(str(photo))
    fits(page, PHONE)
    axe(page, "the filled report form at 375 px")
    screenshot(page, "signalements-form-filled-375")
    page.locator("#report-form button.button--primary[type=submit]").click()

    page.wait_for_url(re.compile(r"/signalements/\d+/$"))
    report_id = int(re.search(r"/signalements/(\d+)/$", page.url).group(1))
    assert page.locator(".report-detail .report-state--new").count() == 1
    assert page.locator(".report-photos img").count() == 1, "the photo is published"
    assert "Trou profond devant la boulangerie" in page.locator(".report-detail__description").inner_text()
    fits(page, PHONE)
    axe(page, "the new report's page at 375 px")
    screenshot(page, "signalements-report-375")

    # --- It is on the map (at street zoom, a point at the commune's centre) and first in the list.
    page.goto("/signalements/")
    page.wait_for_selector("#reports-map[data-loaded]")
    assert page.locator(f".report-list a[href='/signalements/{report_id}/']").count() == 1
    fits(page, PHONE)
    axe(page, "the reports portal (map and list) at 375 px")
    screenshot(page, "signalements-portal-375")
    page.locator("#reports-map").focus()
    features = []
    for _press in range(6):
        with page.expect_response(lambda response: "/api/v1/reports/" in response.url) as answer:
            page.keyboard.press("+")
        response = answer.value
        assert response.headers["content-type"].startswith("application/geo+json")
        if int(re.search(r"zoom=(\d+)", response.url).group(1)) >= 17:
            features = response.json()["features"]
            break
    assert any(feature["id"] == report_id for feature in features), "the map's viewport API returns the report"
    page.wait_for_function(f"() => document.getElementById('reports-map').dataset.loaded === '{len(features)}'")
    # The report is at the map's centre: its marker is the one nearest to the centre of the map.
    centre = page.locator("#reports-map").bounding_box()
    cx, cy = centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2
    markers = page.locator("#reports-map path.leaflet-interactive")
    boxes = [markers.nth(index).bounding_box() for index in range(markers.count())]
    nearest = min(
        range(len(boxes)),
        key=lambda i: (
            (boxes[i]["x"] + boxes[i]["width"] / 2 - cx) ** 2 + (boxes[i]["y"] + boxes[i]["height"] / 2 - cy) ** 2
        ),
    )
    markers.nth(nearest).click()
    popup = page.locator(".leaflet-popup-content a")
    assert _names_report(popup.inner_text(), report_id)
    assert popup.get_attribute("href") == f"/signalements/{report_id}/"
    screenshot(page, "signalements-portal-map-zoomed-375")

    page.goto("/signalements/liste/")
    assert page.locator(".report-list .report-card").first.locator(f"a[href='/signalements/{report_id}/']").count() == 1
    fits(page, PHONE)
    axe(page, "the reports list at 375 px")
    screenshot(page, "signalements-list-375")

    # --- The voirie agent acknowledges, then fixes it, from the report page's staff form.
    staff = new_page(DESKTOP)
    log_in(staff, AGENT, f"/signalements/{report_id}/")
    assert staff.locator(".report-contact").count() == 1, "staff see the reporter's contact"
    assert CAMILLE in staff.locator(".report-contact").inner_text()
    axe(staff, "the report page with the staff form at 1280 px")
    screenshot(staff, "signalements-report-staff-1280")
    _staff_respond(staff, report_id, "acknowledged", "Merci, le service voirie a bien reçu votre signalement.")
    _staff_respond(staff, report_id, "fixed", "Le trou a été rebouché ce matin.")
    timeline = staff.locator(".timeline").inner_text()
    assert "Le trou a été rebouché ce matin." in timeline
    screenshot(staff, "signalements-report-fixed-1280")

    # --- Camille is told: by email, and in the app (the bell and her notifications).
    messages = _wait_for_emails(demo_server, CAMILLE, report_id, 2)
    assert len(messages) >= 2, [(_subject(m), text_of(m)[:200]) for m in demo_server.emails_to(CAMILLE)]
    assert any(_names_report(_subject(m), report_id) for m in messages)
    assert any("Le trou a été rebouché ce matin." in text_of(m) for m in messages)

    page.goto(f"/signalements/{report_id}/")
    assert page.locator(".report-detail .report-state--fixed").count() == 1
    assert _bell_count(page) >= bell_before + 2
    axe(page, "the fixed report's page at 375 px")
    screenshot(page, "signalements-report-fixed-375")
    page.goto("/notifications/")
    about_it = page.locator(".notification--unread .notification__title", has_text=re.compile(rf"(#|n° ){report_id}\b"))
    assert about_it.count() >= 2, "acknowledged, then fixed"
    screenshot(page, "signalements-notifications-375")


@pytest.mark.parametrize("path", ["/signalements/", "/signalements/liste/", "/signalements/nouveau/"])
def test_reporting_pages_at_desktop_width(new_page, axe, path):
    page = new_page(DESKTOP)
    page.goto(path)
    if path == "/signalements/":
        page.wait_for_selector("#reports-map[data-loaded]")
    if path == "/signalements/nouveau/":
        page.wait_for_selector("#report-form-map.leaflet-container")
    fits(page, DESKTOP)
    name = path.strip("/").replace("/", "-")
    axe(page, f"{path} at 1280 px")
    screenshot(page, f"{name}-1280")


def test_a_required_question_is_checked_before_sending_and_a_photo_survives_an_error(new_page, axe, tmp_path):
    """Lucas, on a phone: the required question is marked and checked before anything is sent; after an
    error the photo is listed (not sent again) and is published with the report, whose page shows the
    place on a small map and in words. Axe-checked at 375 px."""
    photo = _pothole_photo(tmp_path / "trou-rue-des-lilas.jpg")
    place = {"latitude": 47.3255, "longitude": 1.4495}
    page = new_page(PHONE, geolocation=place, permissions=["geolocation"])
    log_in(page, "lucas@demo.civic.test", "/signalements/nouveau/")
    page.wait_for_selector("#report-form-map.leaflet-container")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)

    page.locator("#locate-me").click()
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    page.locator("input[name=category][value=nid-de-poule]").check()
    questions = page.locator("fieldset.report-form__questions[data-category=nid-de-poule]")
    size = questions.locator("select")
    assert size.get_attribute("aria-required") == "true" and size.get_attribute("required") is not None
    assert "*" in questions.locator(f"label[for='{size.get_attribute('id')}']").inner_text(), "marked as required"
    page.locator("#id_address").fill("12 rue des Lilas")
    page.locator("#id_photos").set_input_files(str(photo))
    # The photo goes at once, and only once: the form then carries its token.
    page.wait_for_selector("#kept-photos .kept-photo")
    assert "1 photo reçue." in page.locator("#photo-status").inner_text()
    assert page.locator("#id_photos").evaluate("input => input.files.length") == 0
    # The description is left empty on purpose: only the server checks it.
    page.locator("#report-form button.button--primary[type=submit]").click()

    error = questions.locator(".field__errors")
    assert error.inner_text().replace("\xa0", " ") == "Veuillez répondre à « Taille du trou »."
    assert page.evaluate("document.activeElement.id") == size.get_attribute("id")
    assert size.get_attribute("aria-invalid") == "true"
    assert [request.url for request in posts if "/nouveau/photos/" not in request.url] == [], (
        "the form was not sent: the question is checked in the browser"
    )
    fits(page, PHONE)
    axe(page, "the report form with an unanswered required question at 375 px")

    size.select_option("moyen")
    assert questions.locator(".field__errors").count() == 0
    page.locator("#report-form button.button--primary[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert "Décrivez le problème en quelques mots." in page.locator("#error-summary").inner_text()
    kept = page.locator(".kept-photos")
    assert "trou-rue-des-lilas.jpg" in kept.inner_text()
    assert kept.locator("img.kept-photo__image").count() == 1
    assert page.get_by_label("Retirer trou-rue-des-lilas.jpg").count() == 1
    assert page.locator("#id_address").input_value() == "12 rue des Lilas"
    page.wait_for_load_state("networkidle")  # the nearby reports, fetched by the script, are listed
    fits(page, PHONE)
    axe(page, "the report form after an error, with its kept photo, at 375 px")
    screenshot(page, "signalements-form-kept-photo-375")

    page.locator("#id_description").fill("Trou au milieu de la chaussée, rue des Lilas.")
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.locator("#report-form button.button--primary[type=submit]").click()
    body = sent.value.post_data_buffer or b""
    assert b"filename=" not in body or b'filename=""' in body, "the kept photo is not uploaded again"
    assert len(body) < 20_000
    page.wait_for_url(re.compile(r"/signalements/\d+/$"))
    assert page.locator(".report-photos img").count() == 1, "the kept photo is published"
    page.wait_for_selector("#report-place-map.leaflet-container")
    assert page.locator("#report-place-map .leaflet-marker-icon").count() == 1
    place_text = page.locator(".report-place__text").inner_text()
    assert "12 rue des Lilas" in place_text and "Zone" in place_text
    assert "47,3255" in place_text or "47.3255" in place_text
    fits(page, PHONE)
    axe(page, "the report's page with its place at 375 px")
    screenshot(page, "signalements-report-place-375")
