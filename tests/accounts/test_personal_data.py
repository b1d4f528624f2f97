"""RGPD: "my space" gathers every module's contributions; export and deletion, by the person and
by staff on request, audited; nothing personal left after a deletion."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from budget_participatif.models import Ballot
from civic.accounts.models import PersonalDataRequest, User
from civic.discussions.models import Comment
from signalements.models import Report, ReportPhoto

pytestmark = pytest.mark.django_db

EMAIL = "zoe.rgpd-unique@example.org"
NAME = "Zoé Quintal-Unique"


@pytest.fixture
def zoe(user_factory):
    return user_factory(email=EMAIL, display_name=NAME, password="mot-de-passe-zoe", roles=["resident"])


@pytest.fixture
def contributions(
    zoe,
    report_factory,
    ballot_factory,
    ballot_choice_factory,
    budget_factory,
    project_factory,
    comment_factory,
    idea_factory,
):
    report = report_factory(
        reporter=zoe, reporter_name=NAME, reporter_email=EMAIL, reporter_phone="0612345678", description="Nid de poule"
    )
    budget = budget_factory(name="Budget de la ville")
    ballot = ballot_factory(budget=budget, voter=zoe)
    ballot_choice_factory(ballot=ballot, project=project_factory(budget=budget))
    comment = comment_factory(author=zoe, target=report, body="Moi aussi je passe par là.")
    idea = idea_factory(author=zoe, title="Un banc sous le tilleul")
    return {"report": report, "ballot": ballot, "comment": comment, "idea": idea, "budget": budget}


def test_my_space_shows_my_report_ideas_ballot_and_comments(client, zoe, contributions):
    client.force_login(zoe)
    content = client.get(reverse("account-space")).content.decode()
    assert "Mes signalements" in content and f"#{contributions['report'].pk}" in content
    assert "Un banc sous le tilleul" in content
    assert "Mes bulletins" in content and "Budget de la ville" in content
    assert "Modifier mon bulletin" in content  # the vote is open
    assert "Moi aussi je passe par là." in content


def test_my_space_queries_do_not_grow_with_contributions(client, zoe, report_factory, comment_factory):
    from django.test.utils import CaptureQueriesContext

    client.force_login(zoe)
    report_factory(reporter=zoe)
    client.get(reverse("account-space"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("account-space"))
    for _ in range(30):
        comment_factory(author=zoe, target=report_factory(reporter=zoe))
    client.get(reverse("account-space"))  # the page chrome is rebuilt once after pages change
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("account-space"))
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in few.captured_queries)


def test_export_is_a_zip_with_my_data_and_photos(client, zoe, contributions, settings, tmp_path):
    from django.core.files.base import ContentFile

    report = contributions["report"]
    stored = ReportPhoto(report=report, width=1, height=1)
    stored.image.save("photo.jpg", ContentFile(b"\xff\xd8jpeg"), save=False)
    stored.thumbnail.save("thumb.jpg", ContentFile(b"\xff\xd8jpeg"), save=False)
    stored.save()
    in_flight = ReportPhoto.objects.create(report=report, image="reports/not-yet-there.jpg", thumbnail="x.jpg")
    client.force_login(zoe)
    response = client.post(reverse("account-data-export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == EMAIL
    assert data["reports"]["reports"][0]["description"] == "Nid de poule"
    assert data["budget_ideas"]["ballots"][0]["budget"] == "Budget de la ville"
    assert data["discussions"]["comments"][0]["text"] == "Moi aussi je passe par là."
    photo_names = [name for name in archive.namelist() if name.startswith("photos/")]
    assert len(photo_names) == 1 and archive.read(photo_names[0]) == b"\xff\xd8jpeg"
    assert any(str(in_flight.pk) in name for name in data["missing_files"])
    assert PersonalDataRequest.objects.filter(action="export", subject_id=zoe.pk, by_staff=False).exists()


def _text_columns() -> set[tuple[str, str]]:
    """(table, column) of every text and JSON column; inherited fields live in their parent's table."""
    columns = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                columns.add((field.model._meta.db_table, field.column))
    return columns


def _rows_mentioning(value: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in sorted(_text_columns()):
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608 (names from model metadata)
                [f"%{value}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def test_deleting_my_account_erases_me_and_keeps_my_contributions_and_ballot(client, zoe, contributions):
    client.force_login(zoe)
    page = client.get(reverse("account-delete")).content.decode()
    assert "Vos bulletins restent comptés" in page
    refused = client.post(reverse("account-delete"), {"password": "wrong", "confirm": "on"})
    assert "Ce n’est pas votre mot de passe." in refused.content.decode()
    assert User.objects.filter(pk=zoe.pk).exists()

    response = client.post(reverse("account-delete"), {"password": "mot-de-passe-zoe", "confirm": "on"}, follow=True)
    assert "Votre compte a été supprimé" in response.content.decode()
    assert not User.objects.filter(pk=zoe.pk).exists()
    assert _rows_mentioning(EMAIL) == [] and _rows_mentioning(NAME) == []
    ballot = Ballot.objects.get(pk=contributions["ballot"].pk)
    assert ballot.voter_id is None and ballot.choices.count() == contributions["ballot"].choices.count()
    assert Report.objects.filter(pk=contributions["report"].pk, reporter=None).exists()
    assert Comment.objects.get(pk=contributions["comment"].pk).author_id is None
    assert PersonalDataRequest.objects.filter(action="delete", subject_id=zoe.pk).exists()

    # A second submit (a double tap, another tab) says it is done, and does nothing more.
    again = client.post(reverse("account-delete"), {"password": "mot-de-passe-zoe", "confirm": "on"}, follow=True)
    assert "Ce compte a déjà été supprimé." in again.content.decode()
    assert PersonalDataRequest.objects.filter(action="delete", subject_id=zoe.pk).count() == 1


def test_the_deleted_authors_comment_reads_former_participant(client, zoe, contributions):
    from civic.accounts.personal_data import account_delete

    account_delete(user=zoe)
    content = client.get(contributions["report"].get_absolute_url()).content.decode()
    assert "Ancien participant" in content and NAME not in content


def test_staff_export_and_delete_on_request_are_audited(client, zoe, contributions, user_factory):
    admin = user_factory(roles=["administrator"])
    agent = user_factory(roles=["agent"])
    url = reverse("civic_accounts_admin_personal_data")
    client.force_login(agent)
    assert client.get(url).status_code in (302, 403)  # Wagtail sends refused staff back to the dashboard
    client.force_login(admin)
    assert client.get(url).status_code == 200
    exported = client.post(url, {"email": EMAIL, "reason": "Courrier du 2 décembre", "action": "export"})
    assert exported["Content-Type"] == "application/zip"
    unconfirmed = client.post(url, {"email": EMAIL, "reason": "Courrier", "action": "delete"})
    assert "Cochez cette case pour confirmer la suppression." in unconfirmed.content.decode()
    assert User.objects.filter(pk=zoe.pk).exists()
    client.post(url, {"email": EMAIL, "reason": "Courrier du 2 décembre", "action": "delete", "confirm_delete": "on"})
    assert not User.objects.filter(pk=zoe.pk).exists()
    audit = client.get(url).content.decode()
    assert f"#{zoe.pk}" in audit and "Courrier du 2 décembre" in audit and EMAIL not in audit
    twice = client.post(url, {"email": EMAIL, "reason": "Courrier", "action": "delete", "confirm_delete": "on"})
    assert "Aucun compte n’a cette adresse e-mail" in twice.content.decode()
    assert PersonalDataRequest.objects.filter(subject_id=zoe.pk, by_staff=True, performed_by=admin).count() == 2
