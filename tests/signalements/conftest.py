"""Reports are tested in AreaFactory's default square (lon 4.80-4.85, lat 45.70-45.75)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

INSIDE = (4.82, 45.72)
OUTSIDE = (1.45, 47.32)


@pytest.fixture(autouse=True)
def media_and_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def territory(area_factory):
    return area_factory(name="Les Tilleuls")


@pytest.fixture
def agent_voirie(user_factory):
    return user_factory(roles=["agent"], display_name="Agent voirie")


@pytest.fixture
def voirie(service_factory, agent_voirie):
    return service_factory(name="Voirie", code="voirie", email="voirie@council.example.org", agents=[agent_voirie])


@pytest.fixture
def pothole(category_factory, category_question_factory, voirie):
    category = category_factory(name="Nid-de-poule", code="pothole", service=voirie)
    category_question_factory(
        category=category,
        code="size",
        label="Size of the pothole",
        datatype="singlevaluelist",
        required=True,
        choices="small|Smaller than a plate\nlarge|Larger than a plate",
    )
    return category


def jpeg_bytes(size=(64, 48), *, gps=None, orientation=None, color=(200, 80, 40), fmt="JPEG") -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        lon, lat = gps
        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)), 3: "E" if lon >= 0 else "W", 4: _dms(abs(lon))}
        )
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def photo():
    return upload("pothole.jpg", jpeg_bytes(gps=INSIDE))


@pytest.fixture
def bad_files():
    """A file that is not an image, a truncated JPEG and a decompression bomb, each with its name."""
    good = jpeg_bytes(size=(400, 300))
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, format="PNG")
    return {
        "notes.txt": upload("notes.txt", b"This is not a photo at all.", "text/plain"),
        "cut.jpg": upload("cut.jpg", good[: len(good) // 2]),
        "bomb.png": upload("bomb.png", bomb.getvalue(), "image/png"),
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run what it left for after the commit (emails, live pushes)."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def report_at(report_factory):
    """A report at a stage of its life; closed ``closed_days`` ago when closed."""

    def make(stage, *, closed_days=1, **fields):
        from civic.moderation.models import ModerationState

        values = {"state": "new"}
        if stage == "closed":
            values.update(state="fixed", closed_at=timezone.now() - timedelta(days=closed_days))
        elif stage == "unconfirmed":
            values.update(state="unconfirmed", confirmed_at=None)
        elif stage == "hidden":
            values.update(moderation_state=ModerationState.HIDDEN)
        values.update(fields)
        return report_factory(**values)

    return make
