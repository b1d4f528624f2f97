"""The report form keeps the photos across its errors (uploaded once, named by a token), marks the
required extra questions, and a retried submission stores nothing twice."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from signalements.models import PendingPhoto, Report

from .conftest import jpeg_bytes, upload
from .test_web import form_data

pytestmark = pytest.mark.django_db


def kept_tokens(content: str) -> list[str]:
    return re.findall(r'name="kept_photo" value="([^"]+)"', content)


def test_a_photo_sent_with_an_error_is_listed_then_attached_without_being_sent_again(
    english_pages, client, pothole, territory
):
    data = form_data(pothole, description="", photos=[upload("hole.jpg", jpeg_bytes(size=(800, 600)))])

    response = client.post(reverse("report-create"), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "Describe the problem in a few words." in content
    assert "photos were not kept" not in content
    assert "Photos already received (no need to add them again):" in content
    assert "hole.jpg" in content and "Remove hole.jpg" in content
    tokens = kept_tokens(content)
    assert len(tokens) == 1
    kept = PendingPhoto.objects.get()
    assert kept.token == tokens[0] and kept.width == 800
    assert f'src="{kept.thumbnail.url}"' in content
    assert not Report.objects.exists()

    # The corrected form is sent with the photo's token, not the file.
    corrected = form_data(pothole, kept_photo=tokens)
    response = client.post(reverse("report-create"), corrected)

    assert response.status_code == 302
    report = Report.objects.get()
    assert [photo.original_name for photo in report.photos.all()] == ["hole.jpg"]
    assert report.photos.get().width == 800
    assert not PendingPhoto.objects.exists(), "the kept copy is gone once attached"
    assert not Path(kept.image.path).exists() and not Path(kept.thumbnail.path).exists()


def test_an_error_from_the_service_keeps_the_photo_too(english_pages, client, pothole, territory):
    data = form_data(pothole, photos=[upload("hole.jpg", jpeg_bytes())], **{f"q_{pothole.pk}_size": ""})

    response = client.post(reverse("report-create"), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "Please answer “Size of the pothole”." in content
    assert len(kept_tokens(content)) == 1


def test_a_kept_photo_can_be_removed(english_pages, client, pothole, territory):
    first = client.post(
        reverse("report-create"), form_data(pothole, description="", photos=[upload("wrong.jpg", jpeg_bytes())])
    )
    (token,) = kept_tokens(first.content.decode())

    client.post(reverse("report-create"), form_data(pothole, kept_photo=[token], remove_photo=[token]))

    assert Report.objects.get().photos.count() == 0
    assert not PendingPhoto.objects.exists()


def test_a_good_photo_is_kept_when_another_is_refused(english_pages, client, pothole, territory, bad_files):
    data = form_data(pothole, photos=[upload("good.jpg", jpeg_bytes()), bad_files["notes.txt"]])

    response = client.post(reverse("report-create"), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "notes.txt: this file is not an image." in content
    assert "Remove good.jpg" in content
    assert not Report.objects.exists()


def test_too_many_photos_are_all_kept_and_the_person_chooses(english_pages, client, pothole, territory, settings):
    settings.SIGNALEMENTS_MAX_PHOTOS = 2
    first = client.post(
        reverse("report-create"),
        form_data(pothole, description="", photos=[upload(f"p{n}.jpg", jpeg_bytes()) for n in range(2)]),
    )
    tokens = kept_tokens(first.content.decode())

    response = client.post(
        reverse("report-create"), form_data(pothole, kept_photo=tokens, photos=[upload("p2.jpg", jpeg_bytes())])
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Send at most 2 photos: tick “Remove” under 1 of them." in content
    assert len(kept_tokens(content)) == 3
    assert not Report.objects.exists()


def test_someone_elses_kept_photo_cannot_be_taken(english_pages, client, pothole, territory):
    other = Client()
    answer = other.post(
        reverse("report-create"), form_data(pothole, description="", photos=[upload("theirs.jpg", jpeg_bytes())])
    )
    (token,) = kept_tokens(answer.content.decode())

    client.post(reverse("report-create"), form_data(pothole, kept_photo=[token]))

    assert Report.objects.get().photos.count() == 0
    assert PendingPhoto.objects.filter(token=token).exists()


def test_a_retried_submission_stores_neither_a_second_report_nor_its_photos_again(client, pothole, territory, resident):
    client.force_login(resident)
    first = client.post(reverse("report-create"), form_data(pothole, photos=[upload("hole.jpg", jpeg_bytes())]))

    retry = client.post(reverse("report-create"), form_data(pothole, photos=[upload("hole.jpg", jpeg_bytes())]))

    assert retry.status_code == 302 and retry.url == first.url
    assert Report.objects.count() == 1
    assert Report.objects.get().photos.count() == 1
    assert not PendingPhoto.objects.exists()


def test_required_questions_are_marked_for_people_and_browsers(client, pothole, territory, category_question_factory):
    category_question_factory(category=pothole, code="depth", label="Depth in cm", datatype="number", required=False)

    content = client.get(reverse("report-create")).content.decode()

    select = re.search(rf'<select name="q_{pothole.pk}_size"[^>]*>', content).group(0)
    assert "required" in select and 'aria-required="true"' in select
    label = re.search(rf'<label for="id_q_{pothole.pk}_size">(.*?)</label>', content, re.S).group(1)
    assert "Size of the pothole" in label and "*" in label
    optional = re.search(rf'<input type="text" name="q_{pothole.pk}_depth"[^>]*>', content).group(0)
    assert "required" not in optional
    assert "*" not in re.search(rf'<label for="id_q_{pothole.pk}_depth">(.*?)</label>', content, re.S).group(1)


def test_forgotten_kept_photos_expire_with_the_daily_command(client, pothole, territory):
    client.post(reverse("report-create"), form_data(pothole, description="", photos=[upload("a.jpg", jpeg_bytes())]))
    client.post(reverse("report-create"), form_data(pothole, description="", photos=[upload("b.jpg", jpeg_bytes())]))
    old = PendingPhoto.objects.get(original_name="a.jpg")
    PendingPhoto.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))

    out = StringIO()
    call_command("expire_unconfirmed_reports", stdout=out)

    assert "1 photo(s) of unsent reports older than 24 hours deleted." in out.getvalue()
    assert list(PendingPhoto.objects.values_list("original_name", flat=True)) == ["b.jpg"]
    assert not Path(old.image.path).exists() and not Path(old.thumbnail.path).exists()


def test_erasing_a_person_deletes_the_photos_kept_for_them(client, pothole, territory, resident):
    from signalements.personal_data import erase

    client.force_login(resident)
    client.post(reverse("report-create"), form_data(pothole, description="", photos=[upload("a.jpg", jpeg_bytes())]))
    kept = PendingPhoto.objects.get(user=resident)

    erase(resident)

    assert not PendingPhoto.objects.exists()
    assert not Path(kept.image.path).exists()


def test_more_files_at_once_than_a_report_holds_are_refused_before_processing(
    english_pages, client, pothole, territory, settings
):
    settings.SIGNALEMENTS_MAX_PHOTOS = 2

    response = client.post(
        reverse("report-create"), form_data(pothole, photos=[upload(f"p{n}.jpg", jpeg_bytes()) for n in range(3)])
    )

    assert response.status_code == 400
    assert "Send at most 2 photos." in response.content.decode()
    assert not PendingPhoto.objects.exists() and not Report.objects.exists()


def test_photos_sent_by_the_script_before_the_form_are_attached_by_their_token(
    english_pages, client, pothole, territory
):
    answer = client.post(reverse("report-photo-upload"), {"photos": [upload("early.jpg", jpeg_bytes())]})

    assert answer.status_code == 200
    (photo,) = answer.json()["photos"]
    assert photo["name"] == "early.jpg" and photo["thumbnail"].endswith(".jpg") and answer.json()["errors"] == []
    response = client.post(reverse("report-create"), form_data(pothole, kept_photo=[photo["token"]]))

    assert response.status_code == 302
    assert [item.original_name for item in Report.objects.get().photos.all()] == ["early.jpg"]
    assert not PendingPhoto.objects.exists()


def test_a_photo_the_script_sends_is_refused_with_its_name(english_pages, client, bad_files):
    answer = client.post(reverse("report-photo-upload"), {"photos": [bad_files["notes.txt"]]})

    assert answer.status_code == 400
    assert answer.json() == {"photos": [], "errors": ["notes.txt: this file is not an image."]}
    assert not PendingPhoto.objects.exists()


def test_photo_uploads_ahead_of_the_form_are_limited_per_address(english_pages, client, pothole, territory, settings):
    settings.CIVIC_LIMITS = {"photo_upload": {"ip": "2/h"}}
    for name in ("a.jpg", "b.jpg"):
        assert client.post(reverse("report-photo-upload"), {"photos": [upload(name, jpeg_bytes())]}).status_code == 200

    refused = client.post(reverse("report-photo-upload"), {"photos": [upload("c.jpg", jpeg_bytes())]})

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "You have sent many photos in a short time" in refused.json()["errors"][0]
    assert sorted(PendingPhoto.objects.values_list("original_name", flat=True)) == ["a.jpg", "b.jpg"]
