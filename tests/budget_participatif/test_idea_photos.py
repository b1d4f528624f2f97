"""Idea photos go through the core's image pipeline: the form and the API refuse what the report
form refuses, under the photo field, storing nothing; what is stored and served has no EXIF."""

import json

import pytest
from django.urls import reverse

from budget_participatif.models import Idea, IdeaPhoto
from budget_participatif.services import milestone_add
from tests.images import OWNER, bad_uploads, encoded, has_exif, phone_jpeg, upload

pytestmark = pytest.mark.django_db

IDEA = {
    "title": "Un banc au square",
    "description": "Un banc à l'ombre devant la bibliothèque municipale.",
    "theme": "public_space",
}


@pytest.fixture
def ideas_page(budget_page_factory):
    return budget_page_factory(phase="ideas")


def _page_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", list(bad_uploads()))
def test_the_idea_form_refuses_each_bad_file_under_the_photo_field(english_pages, ideas_page, resident, name):
    bad, reason = bad_uploads()[name]
    english_pages.force_login(resident)

    response = english_pages.post(reverse("idea-create", args=[ideas_page.pk]), {**IDEA, "photo": bad})

    assert response.status_code == 400
    photo_errors = response.context["form"].errors["photo"]
    assert any(name in error and reason in error for error in photo_errors), photo_errors
    page = _page_text(response)
    assert reason in page and 'value="Un banc au square"' in page  # shown, and nothing typed is lost
    assert not Idea.objects.exists() and not IdeaPhoto.objects.exists()


@pytest.mark.parametrize("name", list(bad_uploads()))
def test_the_api_refuses_each_bad_file_under_photo(english_pages, ideas_page, resident, name):
    bad, reason = bad_uploads()[name]
    english_pages.force_login(resident)

    response = english_pages.post(reverse("api-budget-idea-list", args=[ideas_page.pk]), {**IDEA, "photo": bad})

    assert response.status_code == 400, response.content
    errors = json.loads(response.content)
    assert list(errors) == ["photo"]
    assert reason in errors["photo"][0] and name in errors["photo"][0]
    assert not Idea.objects.exists() and not IdeaPhoto.objects.exists()


def _stored_photo() -> bytes:
    photo = IdeaPhoto.objects.get()
    assert photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as handle:
        return handle.read()


def test_a_phone_photo_is_published_without_its_exif(client, ideas_page, resident):
    original = phone_jpeg(size=(4000, 3000))
    assert has_exif(original) and OWNER.encode() in original
    client.force_login(resident)

    response = client.post(
        reverse("idea-create", args=[ideas_page.pk]), {**IDEA, "photo": upload("IMG_2041.jpg", original)}
    )

    assert response.status_code == 302
    stored = _stored_photo()
    assert not has_exif(stored)
    assert (
        OWNER.encode() not in stored
        and b"GPS" not in stored
        and b"IMG_2041" not in IdeaPhoto.objects.get().image.name.encode()
    )
    # What the public page serves is that file.
    detail = client.get(response["Location"])
    assert IdeaPhoto.objects.get().image.url in detail.content.decode()


def test_the_api_stores_a_phone_photo_without_its_exif(client, ideas_page, resident):
    client.force_login(resident)

    response = client.post(
        reverse("api-budget-idea-list", args=[ideas_page.pk]),
        {**IDEA, "photo": upload("IMG_2042.jpg", phone_jpeg(size=(3000, 4000)))},
    )

    assert response.status_code == 201, response.content
    stored = _stored_photo()
    assert not has_exif(stored) and OWNER.encode() not in stored


def test_a_heic_photo_is_published_as_a_jpeg(client, ideas_page, resident):
    client.force_login(resident)

    response = client.post(
        reverse("idea-create", args=[ideas_page.pk]),
        {**IDEA, "photo": upload("IMG_2043.HEIC", encoded("HEIF"), "image/heic")},
    )

    assert response.status_code == 302
    assert _stored_photo()[:3] == b"\xff\xd8\xff"  # a JPEG, which every browser shows


def test_a_milestone_photo_goes_through_the_same_pipeline(agent, project_factory):
    project = project_factory()
    bad, reason = bad_uploads()["anim.gif"]
    from django.core.exceptions import ValidationError
    from django.utils import timezone, translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        milestone_add(project=project, agent=agent, date=timezone.localdate(), title="Travaux", photo=bad)
    assert reason in " ".join(refused.value.message_dict["photo"])
    assert not project.milestones.exists()

    milestone = milestone_add(
        project=project,
        agent=agent,
        date=timezone.localdate(),
        title="Travaux",
        photo=upload("chantier.jpg", phone_jpeg()),
    )
    with milestone.photo.open("rb") as handle:
        assert not has_exif(handle.read())
