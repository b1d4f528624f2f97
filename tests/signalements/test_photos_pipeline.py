"""The fast photo pipeline: a large JPEG is decoded at a reduced scale, turned upright at the published size,
and its thumbnail made from the published copy; refusals still hold on that path."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from signalements.photos import photo_process

from .conftest import upload

RED, BLUE = (220, 20, 20), (20, 20, 220)


def halves(size, *, fmt="JPEG", orientation=None) -> bytes:
    """Left half red, right half blue; with an EXIF orientation and a camera tag."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def colour_at(content, x_share: float, y_share: float):
    with Image.open(io.BytesIO(content.read() if hasattr(content, "read") else content)) as image:
        return image.convert("RGB").getpixel((int(image.width * x_share), int(image.height * y_share))), image


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_a_12_megapixel_phone_jpeg_is_decoded_at_half_scale_and_turned_upright():
    processed = photo_process(upload("IMG_0001.jpg", halves((4000, 3000), orientation=6)))

    # Half of 4000 x 3000 is within 10 % of 2048: no resize at all, and turned upright (portrait).
    assert (processed.width, processed.height) == (1500, 2000)
    processed.image.seek(0)
    data = processed.image.read()
    top, stored = colour_at(data, 0.5, 0.25)
    bottom, _stored = colour_at(data, 0.5, 0.75)
    assert stored.size == (1500, 2000)
    assert close_to(top, RED) and close_to(bottom, BLUE), "orientation 6 puts the left of the sensor on top"
    assert not stored.getexif()
    thumb, thumbnail = colour_at(processed.thumbnail.read(), 0.5, 0.1)
    assert thumbnail.size == (300, 400) and close_to(thumb, RED)
    assert not thumbnail.getexif()


def test_a_jpeg_a_little_over_the_size_is_resized_exactly_and_rotated_half_a_turn():
    processed = photo_process(upload("wide.jpg", halves((3000, 2000), orientation=3)))

    assert (processed.width, processed.height) == (2048, 1365)
    processed.image.seek(0)
    left, _stored = colour_at(processed.image.read(), 0.1, 0.5)
    assert close_to(left, BLUE), "orientation 3 turns the picture half a turn"


def test_a_large_png_is_resized_to_the_published_size():
    processed = photo_process(upload("scan.png", halves((3000, 1200), fmt="PNG"), "image/png"))

    assert (processed.width, processed.height) == (2048, 819)
    assert max(Image.open(processed.thumbnail).size) == 400


def test_a_truncated_large_jpeg_is_still_refused_on_the_reduced_scale_path():
    data = halves((4000, 3000))

    with pytest.raises(ValidationError, match=r"cut\.jpg: the image is damaged or incomplete"):
        photo_process(upload("cut.jpg", data[: len(data) // 2]))
