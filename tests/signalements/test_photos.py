"""Photos: refused with a message naming the file, stored oriented, resized and without EXIF."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from signalements.models import Report, ReportPhoto
from signalements.photos import photo_process
from signalements.services import report_create

from .conftest import INSIDE, jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def make_report(category, reporter, photos):
    return report_create(
        category=category,
        longitude=INSIDE[0],
        latitude=INSIDE[1],
        description="Broken bench",
        reporter=reporter,
        extra_answers={"size": "small"},
        photos=photos,
    )


def test_bad_files_are_refused_by_name_and_nothing_is_stored(territory, pothole, resident, bad_files, settings):
    for name, bad in bad_files.items():
        with pytest.raises(ValidationError) as caught:
            make_report(pothole, resident, [upload("fine.jpg", jpeg_bytes()), bad])
        messages = " ".join(caught.value.message_dict["photos"])
        assert name in messages
        assert "fine.jpg" not in messages
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("notes.txt", "not an image"), ("cut.jpg", "damaged or incomplete"), ("bomb.png", "too large")],
)
def test_each_bad_file_gets_its_own_reason(bad_files, name, expected):
    with pytest.raises(ValidationError, match=expected):
        photo_process(bad_files[name])


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.SIGNALEMENTS_MAX_PHOTO_BYTES = 1024 * 1024
    big = upload("huge.jpg", jpeg_bytes() + b"\0" * (1024 * 1024 + 1))

    with pytest.raises(ValidationError, match=r"huge\.jpg: the file is over the size limit of 1 MB"):
        photo_process(big)


def test_more_than_three_photos_are_refused(territory, pothole, resident):
    photos = [upload(f"p{i}.jpg", jpeg_bytes()) for i in range(4)]

    with pytest.raises(ValidationError, match="at most 3 photos"):
        make_report(pothole, resident, photos)


def test_stored_copies_are_resized_oriented_and_have_no_exif(territory, pothole, resident):
    original = upload("phone.jpg", jpeg_bytes(size=(3000, 1000), gps=INSIDE, orientation=6))

    report = make_report(pothole, resident, [original])

    photo = report.photos.get()
    for field in (photo.image, photo.thumbnail):
        with Image.open(field.path) as stored:
            assert not stored.getexif(), "EXIF left in a stored copy"
            assert b"GPS" not in Path(field.path).read_bytes()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (683, 2048)  # turned upright (orientation 6), longest side 2048
    with Image.open(photo.thumbnail.path) as stored:
        assert max(stored.size) == 400
    assert photo.original_name == "phone.jpg"


def test_the_gps_position_of_a_photo_is_read_before_it_is_stripped():
    processed = photo_process(upload("gps.jpg", jpeg_bytes(gps=(1.452, 47.327))))

    assert processed.gps == pytest.approx((1.452, 47.327), abs=1e-4)
    assert photo_process(upload("plain.jpg", jpeg_bytes())).gps is None


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("WEBP", "a.webp"), ("HEIF", "a.heic")])
def test_png_webp_and_heic_are_accepted(fmt, name):
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", (80, 60), (10, 120, 30)).save(buffer, format=fmt)

    processed = photo_process(upload(name, buffer.getvalue(), "image/octet-stream"))

    assert (processed.width, processed.height) == (80, 60)
    with Image.open(processed.image) as stored:
        assert stored.format == "JPEG"
