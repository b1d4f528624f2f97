"""The one pipeline for every image a resident (or an agent) uploads, whatever the module.

Refuse what is not a safe image (not an image, damaged or truncated, over the size limit, a
decompression bomb, a format other than JPEG, PNG, WebP or HEIC), turn it upright, resize it, make a
thumbnail, and write fresh JPEG files that carry no EXIF at all (no GPS, no camera owner's name).
Only the processed copies are stored; the original never is. Each module passes its own limits
(``ImageLimits``) from its ``conf.py``; ``signalements.photos`` and the budget's idea photos use it.
"""

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
GPS_IFD = 0x8825

#: Markup that makes a browser (or a careless proxy) read a file as a web page: an image that also
#: holds it is a polyglot, refused even though the stored copy would be re-encoded without it.
MARKUP = re.compile(rb"<(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b", re.IGNORECASE)
#: Where that markup is looked for: the first bytes (what content sniffing reads) and the last ones
#: (what is appended after the image); not the compressed picture between, where it would be chance.
MARKUP_WINDOW = 16 * 1024


@dataclass(frozen=True)
class ImageLimits:
    """What one upload path accepts: bytes, pixels before resizing, published and thumbnail sizes."""

    max_bytes: int = 12 * 1024 * 1024
    max_pixels: int = 50_000_000
    size: int = 2048
    thumbnail_size: int = 400
    max_files: int = 3


@dataclass
class ProcessedPhoto:
    name: str
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    gps: tuple[float, float] | None  # (longitude, latitude) read from the original's EXIF


def _holds_markup(data: bytes) -> bool:
    return bool(MARKUP.search(data[:MARKUP_WINDOW]) or MARKUP.search(data[-MARKUP_WINDOW:]))


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError(_("%(file)s: %(problem)s") % {"file": name, "problem": message}, code="invalid_photo")


#: A JPEG is decoded at 1/2, 1/4 or 1/8 of its size (in the DCT, much faster than decoding it whole and
#: resizing) when the result's longest side is at least this share of the published size: a 12-megapixel
#: 4032 x 3024 phone photo is published at 2016 x 1512 rather than resized to 2048 x 1536.
DRAFT_TOLERANCE = 0.9

#: EXIF orientation -> the transposition that turns the picture upright (EXIF 2.3, tag 0x0112).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION_TAG = 0x0112


def _draft_scale(width: int, height: int, size: int) -> int:
    """The largest JPEG decoding reduction (1, 2, 4 or 8) that keeps the longest side near ``size`` or above."""
    for scale in (8, 4, 2):
        if max(width, height) / scale >= size * DRAFT_TOLERANCE:
            return scale
    return 1


def _open(data: bytes, name: str, max_pixels: int, size: int, *, any_format: bool = False) -> Image.Image:
    """The image, checked and decoded once (a JPEG at a reduced scale when ``size`` allows it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.width * probe.height > max_pixels:
                raise _refuse(
                    name, _("the image is too large (%(w)s × %(h)s pixels).") % {"w": probe.width, "h": probe.height}
                )
            if probe.format not in ACCEPTED_FORMATS and not any_format:
                raise _refuse(name, _("this image format is not accepted; send a JPEG, PNG, WebP or HEIC photo."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.format in ("JPEG", "MPO"):
                scale = _draft_scale(image.width, image.height, size)
                if scale > 1:
                    image.draft("RGB", (image.width // scale, image.height // scale))
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(name, _("the image is too large to be processed.")) from None
        except UnidentifiedImageError:
            raise _refuse(name, _("this file is not an image.")) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _refuse(name, _("the image is damaged or incomplete.")) from None
    return image


def _rational(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return float("nan")


def exif_position(image: Image.Image) -> tuple[float, float] | None:
    """(longitude, latitude) from the EXIF GPS tags, or None."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a malformed EXIF block is not a reason to refuse the photo
        return None
    try:
        lat = sum(_rational(part) / 60**index for index, part in enumerate(gps[2]))
        lon = sum(_rational(part) / 60**index for index, part in enumerate(gps[4]))
    except (KeyError, TypeError, IndexError):
        return None
    if gps.get(1) in ("S", b"S"):
        lat = -lat
    if gps.get(3) in ("W", b"W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
        return None
    return (round(lon, 7), round(lat, 7))


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    # No exif= argument and a fresh info dict: the stored file carries no EXIF at all.
    image.info = {}
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def image_check_size(upload, *, limits: ImageLimits) -> None:
    name = getattr(upload, "name", "") or "photo"
    limit = limits.max_bytes
    if upload.size is not None and upload.size > limit:
        raise _refuse(name, _("the file is over the size limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)})


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ORIENTATION_TAG) or 1)
    except Exception:  # a malformed EXIF block: keep the picture as it is
        return 1


def image_process(upload, *, limits: ImageLimits, stored: bool = False) -> ProcessedPhoto:
    """Check and process one uploaded file; raises ValidationError with a message naming the file.

    Decoded once (a large JPEG straight at a reduced scale), resized to the published size, turned upright
    at that size (cheaper than turning the original), and the thumbnail made from the published copy.
    ``stored=True`` reprocesses a file stored before this pipeline: any format Pillow reads (a GIF
    too) and any size in bytes are turned into a clean JPEG; the pixel limit still applies.
    """
    name = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1][:200]
    if not stored:
        image_check_size(upload, limits=limits)
    upload.seek(0)
    data = upload.read()
    if not data:
        raise _refuse(name, _("the file is empty."))
    if not stored and _holds_markup(data):
        raise _refuse(name, _("this file holds web page code as well as an image; send the photo alone."))
    size = limits.size
    image = _open(data, name, limits.max_pixels, size, any_format=stored)
    gps = exif_position(image)
    orientation = _orientation(image)
    try:
        image = _rgb(image)
        # A square box, so turning the picture before or after resizing gives the same size.
        if max(image.size) > size:
            image = image.resize(_fit(image.size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
        if orientation in ORIENTATION_TRANSPOSE:
            image = image.transpose(ORIENTATION_TRANSPOSE[orientation])
        thumb_size = limits.thumbnail_size
        small = image.resize(_fit(image.size, thumb_size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    except (OSError, ValueError):
        raise _refuse(name, _("the image is damaged or incomplete.")) from None
    return ProcessedPhoto(
        name=name,
        image=_jpeg(image),
        thumbnail=_jpeg(small),
        width=image.width,
        height=image.height,
        gps=gps,
    )


def _fit(current: tuple[int, int], size: int) -> tuple[int, int]:
    """``current`` scaled to fit in a ``size`` square (never enlarged), as Image.thumbnail rounds it."""
    width, height = current
    if max(width, height) <= size:
        return width, height
    if width >= height:
        return size, max(1, round(height * size / width))
    return max(1, round(width * size / height)), size


def images_process(uploads, *, limits: ImageLimits) -> list[ProcessedPhoto]:
    """Process every upload; raises one ValidationError listing every refused file."""
    uploads = [upload for upload in uploads if upload]
    limit = limits.max_files
    if len(uploads) > limit:
        raise ValidationError(_("Send at most %(n)s photos.") % {"n": limit}, code="too_many_photos")
    processed, errors = [], []
    for upload in uploads:
        try:
            processed.append(image_process(upload, limits=limits))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return processed


#: What a JPEG written by this pipeline may carry besides the picture: nothing that says where or who.
_CLEAN_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression"}


def image_is_clean(data: bytes, *, limits: ImageLimits) -> bool:
    """Whether a stored file is already what this pipeline writes: a JPEG within the published size,
    with no EXIF, XMP, comment or ICC block and nothing after the picture (so reprocessing is idempotent)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "JPEG" or max(image.size) > limits.size:
                    return False
                if image.getexif() or set(image.info) - _CLEAN_INFO_KEYS:
                    return False
                if any(marker != "APP0" for marker, _content in getattr(image, "applist", [])):
                    return False
        except Exception:  # unreadable, or a bomb: certainly not clean
            return False
    return data.endswith(b"\xff\xd9") and not _holds_markup(data)


# --- Files stored before the pipeline -------------------------------------------------------------


@dataclass(frozen=True)
class StoredImages:
    """A model's image field that holds what residents or agents uploaded, with its module's limits."""

    model: type
    field: str
    limits: Callable[[], ImageLimits]
    size_fields: tuple[str, str] | None = None  # the model's width and height fields, if it keeps them


_stored: list[StoredImages] = []


def register_stored_images(
    model, field: str, *, limits: Callable[[], ImageLimits], size_fields: tuple[str, str] | None = None
) -> None:
    """Called by a module in ``ready()``: ``manage.py reprocess_photos`` reprocesses this field's files."""
    if not any(entry.model is model and entry.field == field for entry in _stored):
        _stored.append(StoredImages(model=model, field=field, limits=limits, size_fields=size_fields))


def stored_images() -> list[StoredImages]:
    return list(_stored)
