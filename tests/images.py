"""Images for upload tests: a phone photo with EXIF (GPS, camera owner), and the files every upload
path must refuse (the report form's list, shared by the core's image pipeline)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

OWNER = "Camille Dupont"
#: A place in the demo commune, as (longitude, latitude).
GPS = (4.8357, 45.764)


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def phone_jpeg(size=(640, 480), *, gps=GPS, owner=OWNER) -> bytes:
    """A JPEG as a phone writes it: the camera owner's name and the GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x013B] = owner  # Artist
    exif[0xA430] = owner  # CameraOwnerName
    lon, lat = gps
    exif.get_ifd(0x8825).update(
        {1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)), 3: "E" if lon >= 0 else "W", 4: _dms(abs(lon))}
    )
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def encoded(fmt: str, size=(80, 60), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 30) if mode == "RGB" else 1).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def bad_uploads() -> dict[str, tuple[SimpleUploadedFile, str]]:
    """name -> (the file, what the refusal says): truncated, 20 MB, GIF, JPEG/HTML polyglot,
    144-megapixel PNG bomb, and a text file."""
    good = phone_jpeg()
    polyglot = good[:2] + b"\xff\xfe\x00\x2a<html><script>alert(document.cookie)</script></html>  " + good[2:]
    return {
        "cut.jpg": (upload("cut.jpg", good[: len(good) // 2]), "damaged or incomplete"),
        "huge.jpg": (upload("huge.jpg", good + b"\0" * (20 * 1024 * 1024)), "over the size limit"),
        "anim.gif": (upload("anim.gif", encoded("GIF"), "image/gif"), "format is not accepted"),
        "page.jpg": (upload("page.jpg", polyglot), "web page code"),
        "bomb.png": (upload("bomb.png", encoded("PNG", (12000, 12000), "1"), "image/png"), "too large"),
        "notes.txt": (upload("notes.txt", b"This is not a photo at all.", "text/plain"), "not an image"),
    }


def has_exif(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or "exif" in image.info
