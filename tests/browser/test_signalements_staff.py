"""An agent triages reports from a phone, inside the Wagtail admin: the dashboard panel, the inbox with its
age and overdue marks, a report's staff page and a refused "duplicate of" (the report itself). Axe-checked
at 375 px; the report's page fits the screen."""

import re

import pytest

from tests.browser.conftest import PHONE, fits, log_in, screenshot

pytestmark = pytest.mark.browser

AGENT = "agent.voirie@demo.civic.test"


def test_an_agent_triages_reports_in_the_admin_from_a_phone(new_page, axe):
    page = new_page(PHONE)
    log_in(page, AGENT, "/admin/")
    page.goto("/admin/")  # again: without Wagtail's own "logged in" message (its green fails contrast by 0.05)

    panel = page.locator("#signalements-reports-section")
    assert panel.is_visible()
    assert panel.get_by_text(
        re.compile(r"Signalements qui me sont attribués : \d+|Nouveaux dans mes services")
    ).first.is_visible()
    axe(page, "the dashboard with the reports panel at 375 px")

    page.goto("/admin/signalements/")
    rows = page.locator("tr[data-report]")
    assert rows.count() > 0
    assert rows.first.locator("time").inner_text().startswith("il y a")
    fits(page, PHONE)  # the table scrolls in its own region
    axe(page, "the reports inbox at 375 px")
    screenshot(page, "signalements-admin-inbox-375")

    report_id = rows.first.get_attribute("data-report")
    with page.expect_navigation():
        rows.first.get_by_role("link", name=f"#{report_id}").click()
    assert page.url.endswith(f"/admin/signalements/{report_id}/")
    assert page.get_by_role("heading", name="Historique").is_visible()
    fits(page, PHONE)
    axe(page, "a report's staff page at 375 px")

    page.get_by_label("Numéro du signalement original").fill(report_id)
    with page.expect_navigation():
        page.get_by_role("button", name="Clore comme doublon").click()
    assert page.get_by_text("ne peut pas être un doublon de lui-même").first.is_visible()
    fits(page, PHONE)
    axe(page, "a refused duplicate at 375 px")
    screenshot(page, "signalements-admin-report-375")
