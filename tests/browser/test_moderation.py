"""Moderation through the browser: a moderator blocks someone from their page (at 1280 px, where
moderators work; the page also fits 375 px), and a resident flags a report from a phone.

The people and the report these tests act on are made for them with ``manage.py shell`` (the
demo's own residents stay as they are for the other tests); everything else goes through the
browser. Axe-checked.
"""

import json
import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, fits, log_in, screenshot

pytestmark = pytest.mark.browser

MODERATOR = "moderation@demo.civic.test"

NEW_RESIDENT = """
import json, uuid
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
email = "habitant-" + uuid.uuid4().hex[:8] + "@demo.civic.test"
user = get_user_model().objects.create_user(email=email, password={password!r}, display_name={name!r})
EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
print(json.dumps({{"id": user.pk, "email": email}}))
"""


def new_resident(demo_server, name: str) -> dict:
    output = demo_server.manage("shell", "-c", NEW_RESIDENT.format(password=DEMO_PASSWORD, name=name))
    return json.loads(output.strip().splitlines()[-1])  # after the shell's own "objects imported" line


def test_a_moderator_blocks_a_person_from_their_page(new_page, demo_server, axe):
    person = new_resident(demo_server, "Bruno Vidal")
    page = new_page(DESKTOP)
    log_in(page, MODERATOR, f"/admin/moderation/people/{person['id']}/")

    status = page.locator(".moderation-facts")
    assert "Peut contribuer" in status.inner_text()
    assert "Bloqué depuis" not in status.inner_text()
    assert page.get_by_role("button", name="Débloquer").count() == 0
    axe(page, "the page of a person who is not blocked (1280 px)")

    page.get_by_label("Motif").fill("Insultes répétées envers les voisins")
    page.get_by_role("button", name="Bloquer", exact=True).click()
    page.wait_for_load_state()
    assert "Bruno Vidal est bloqué(e)" in page.locator("body").inner_text()
    assert re.search(r"Bloqué\s+depuis le \d", status.inner_text())
    assert "par Julien Petit" in status.inner_text()
    assert page.get_by_role("button", name="Débloquer").is_visible()
    screenshot(page, "moderation-person-blocked-1280")

    page.goto("/admin/moderation/blocks/")
    row = page.get_by_role("row").filter(has_text="Bruno Vidal")
    assert "Insultes répétées" in row.inner_text()
    axe(page, "the blocked people (1280 px)")

    page.set_viewport_size(PHONE)
    page.goto(f"/admin/moderation/people/{person['id']}/")
    fits(page)
    screenshot(page, "moderation-person-blocked-375")


PUBLIC_REPORT = """
import json
from signalements.models import Report
from signalements.models.reports import PUBLIC_STATES
report = Report.objects.filter(state__in=PUBLIC_STATES, moderation_state="published").order_by("pk").first()
print(json.dumps({"id": report.pk}))
"""


def test_a_resident_flags_a_report_from_a_phone(new_page, demo_server, axe):
    resident = new_resident(demo_server, "Inès Morel")
    report = json.loads(demo_server.manage("shell", "-c", PUBLIC_REPORT).strip().splitlines()[-1])
    page = new_page(PHONE)
    log_in(page, resident["email"], f"/signalements/{report['id']}/")
    assert page.url.endswith(f"/signalements/{report['id']}/"), page.url

    page.get_by_role("link", name="Signaler aux modérateurs").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Signaler une contribution aux modérateurs"
    fits(page)
    axe(page, "the flag form for a report (375 px)")
    page.get_by_label("Hors sujet").check()
    page.get_by_label("Précisions (facultatif)").fill("Ce n’est pas un problème de voirie.")
    page.get_by_role("button", name="Envoyer aux modérateurs").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/signalements/{report['id']}/"), page.url
    body = page.locator("body").inner_text()
    assert "Merci. Les modérateurs vont l’examiner." in body
    assert "Vous l’avez signalé aux modérateurs." in body
    assert page.get_by_role("link", name="Signaler aux modérateurs").count() == 0
    fits(page)
    axe(page, "the report after flagging it (375 px)")
    screenshot(page, "moderation-report-flagged-375")

    moderator = new_page(DESKTOP)
    log_in(moderator, MODERATOR, "/admin/moderation/?reason=off_topic")
    assert moderator.locator("tbody tr").filter(has_text="Hors sujet").count() >= 1
