"""One platform, seen by a new resident on a phone: from the home page, report a problem and reach
the open ballot in at most two taps each; "my space" then shows the report and the ballot; the
person downloads their data, deletes their account, and nothing of their email or name is left in
the database while their ballot is still counted."""

import json
import re
import zipfile

import pytest

from tests.browser.conftest import PHONE, fits, screenshot, text_of

pytestmark = pytest.mark.browser

ADDRESS = "rgpd.navigatrice@example.org"
NAME = "Apolline Rgpd-Navigatrice"
PASSWORD = "un mot de passe solide 42"
# Not the commune's centre, where the pothole test looks for its own report's marker.
LOCATED_PHONE = {"geolocation": {"latitude": 47.3215, "longitude": 1.4455}, "permissions": ["geolocation"]}

CHECK_ERASED = """
import json
from django.apps import apps
from django.db import connection, models
from budget_participatif.models import Ballot
found = []
columns = set()  # (table, column), each read once: inherited fields live in their parent's table
for model in apps.get_models():
    if model._meta.proxy or not model._meta.managed:
        continue
    for field in model._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            columns.add((field.model._meta.db_table, field.column))
with connection.cursor() as cursor:
    for table, column in sorted(columns):
        for value in ({address!r}, {name!r}):
            cursor.execute(f'SELECT 1 FROM "{{table}}" WHERE CAST("{{column}}" AS TEXT) LIKE %s', ["%" + value + "%"])
            if cursor.fetchone():
                found.append(table + "." + column)
ballot = Ballot.objects.filter(pk={ballot}).first()
print(json.dumps({{"found": found, "ballot": bool(ballot), "voter": ballot.voter_id if ballot else None,
                  "choices": ballot.choices.count() if ballot else 0}}))
"""


def _sign_up(page, demo_server):
    page.goto("/compte/signup/")
    page.get_by_label("E-mail").fill(ADDRESS)
    page.get_by_label("Nom affiché").fill(NAME)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_load_state()
    body = text_of(demo_server.emails_to(ADDRESS)[-1])
    page.goto(re.search(r"https?://[^\s]+/compte/confirm-email/[^\s]+/", body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()


def test_a_new_resident_reports_votes_finds_it_all_exports_and_leaves(new_page, demo_server, axe, tmp_path):
    page = new_page(PHONE, accept_downloads=True, **LOCATED_PHONE)
    _sign_up(page, demo_server)

    # --- The home page leads with the open spaces' actions, inside the first screen.
    page.goto("/")
    actions = page.locator(".space-actions a")
    assert actions.filter(has_text="Signaler un problème").count() == 1
    vote = actions.filter(has_text="Voter")
    assert vote.count() >= 1
    for action in (actions.first, vote.first):
        box = action.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], "the action is in the first screen"
    assert page.locator("#spaces-open").is_visible() and page.locator("#spaces-closed").count() == 1
    fits(page, PHONE)
    axe(page, "the home page at 375 px, logged in")
    screenshot(page, "platform-home-375")

    # --- Report a problem: one tap to the form.
    actions.filter(has_text="Signaler un problème").click()
    page.wait_for_url(re.compile(r"/signalements/nouveau/$"))
    page.wait_for_selector("#report-form-map.leaflet-container")
    page.locator("#locate-me").click()
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    page.locator("input[name=category][value=nid-de-poule]").check()
    page.locator("fieldset.report-form__questions[data-category=nid-de-poule] select").select_option("moyen")
    page.locator("#id_description").fill("Nid de poule rue des Écoles, signalé pour le test de la plateforme.")
    page.locator("#report-form button.button--primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/signalements/\d+/$"))
    report_id = int(re.search(r"/signalements/(\d+)/$", page.url).group(1))

    # --- Reach the open ballot: home, "Voter", then the budget's "Voter" button.
    page.goto("/")
    page.locator(".space-actions a", has_text="Voter").first.click()
    page.wait_for_load_state()
    page.locator("a.button", has_text="Voter").first.click()
    page.wait_for_url(re.compile(r"/budget-participatif/budgets/(\d+)/vote/$"))
    budget_id = int(re.search(r"/budgets/(\d+)/vote/", page.url).group(1))
    axe(page, "the ballot reached from the home page at 375 px")
    page.locator(".ballot-project input[type=checkbox]").first.check()
    page.locator("#ballot button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/budgets/{budget_id}/vote/$"))
    assert page.locator(".message--success").count() >= 1

    # --- My space shows both, with "change my ballot" while the vote is open.
    page.goto("/compte/")
    reports = page.locator("#section-reports").locator("..")
    assert reports.locator(f"a[href='/signalements/{report_id}/']").count() == 1
    ballots = page.locator("#section-budget_ballots").locator("..")
    assert ballots.locator(f"a[href='/budget-participatif/budgets/{budget_id}/vote/']").count() == 1
    assert "Modifier mon bulletin" in ballots.inner_text()
    fits(page, PHONE)
    axe(page, "my space at 375 px")
    screenshot(page, "platform-my-space-375")

    # --- Download my data.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données").click()
    archive = zipfile.ZipFile(download_info.value.path())
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == ADDRESS
    assert any(row["number"] == report_id for row in data["reports"]["reports"])
    assert data["budget_ideas"]["ballots"], "the ballot is in the export"

    # --- Delete my account.
    page.get_by_role("link", name="Supprimer mon compte").click()
    page.wait_for_load_state()
    fits(page, PHONE)
    axe(page, "the account deletion page at 375 px")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label("Je comprends", exact=False).check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_load_state()
    assert "Votre compte a été supprimé" in page.content()

    ballot_id = demo_server.manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from budget_participatif.models import Ballot; "
        f"print(Ballot.objects.filter(budget_id={budget_id}, voter=None).order_by('-pk').values_list('pk', flat=True).first())",
    ).strip()
    result = json.loads(
        demo_server.manage(
            "shell", "-v", "0", "-c", CHECK_ERASED.format(address=ADDRESS, name=NAME, ballot=ballot_id)
        ).strip()
    )
    assert result["found"] == [], f"personal data left in {result['found']}"
    assert result["ballot"] and result["voter"] is None and result["choices"] >= 1, "the ballot is still counted"
