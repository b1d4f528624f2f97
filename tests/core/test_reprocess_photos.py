"""``manage.py reprocess_photos``: photos stored before the pipeline lose their EXIF; a second run changes nothing."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from budget_participatif.models import IdeaPhoto
from tests.images import OWNER, encoded, has_exif, phone_jpeg

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("reprocess_photos", *args, stdout=out)
    return out.getvalue()


def stored_as_uploaded(idea, name: str, data: bytes) -> IdeaPhoto:
    """A photo as the idea form stored it before the pipeline: the uploaded bytes, EXIF and all."""
    photo = IdeaPhoto(idea=idea)
    photo.image.save(name, ContentFile(data), save=False)
    photo.save()
    return photo


def test_a_stored_photo_loses_its_exif_and_a_second_run_changes_nothing(idea_factory):
    photo = stored_as_uploaded(idea_factory(), "IMG_0001.jpg", phone_jpeg(size=(4000, 3000)))
    old_path = Path(photo.image.path)
    assert has_exif(old_path.read_bytes())

    report = run()

    photo.refresh_from_db()
    data = Path(photo.image.path).read_bytes()
    assert not has_exif(data) and OWNER.encode() not in data
    assert not old_path.exists(), "the original, with its EXIF, is still served"
    assert "1 reprocessed" in report and "IMG_0001.jpg" in report

    again = run()
    assert "0 reprocessed" in again and "already clean" in again
    photo.refresh_from_db()
    assert Path(photo.image.path).read_bytes() == data


def test_a_stored_gif_becomes_a_jpeg_and_a_bomb_is_listed_then_deleted_on_request(idea_factory):
    gif = stored_as_uploaded(idea_factory(), "anim.gif", encoded("GIF"))
    bomb = stored_as_uploaded(idea_factory(), "bomb.png", encoded("PNG", (12000, 12000), "1"))

    dry = run("--dry-run")
    assert "1 would be reprocessed" in dry and "1 refused" in dry
    assert IdeaPhoto.objects.get(pk=gif.pk).image.name.endswith(".gif")  # a dry run changes nothing

    run()
    gif.refresh_from_db()
    assert gif.image.name.endswith(".jpg")
    assert IdeaPhoto.objects.filter(pk=bomb.pk).exists()

    report = run("--delete-refused")
    assert "1 deleted" in report
    assert not IdeaPhoto.objects.filter(pk=bomb.pk).exists()
