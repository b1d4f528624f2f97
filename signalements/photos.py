"""Photo processing: refuse what is not a safe image, orient, resize, thumbnail, and drop every EXIF tag.

Only the processed copies are stored; the original (with its EXIF, GPS included) never is.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from . import conf

register_heif_opener()

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
GPS_IFD = 0x8825


@dataclass
class ProcessedPhoto:
    name: str
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    gps: tuple[float, float] | None  # (longitude, latitude) read from the original's EXIF


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


def _open(data: bytes, name: str, max_pixels: int, size: int) -> Image.Image:
    """The image, checked and decoded once (a JPEG at a reduced scale when ``size`` allows it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.width * probe.height > max_pixels:
                raise _refuse(
                    name, _("the image is too large (%(w)s × %(h)s pixels).") % {"w": probe.width, "h": probe.height}
                )
            if probe.format not in ACCEPTED_FORMATS:
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


def photo_check_size(upload) -> None:
    name = getattr(upload, "name", "") or "photo"
    limit = conf.get("SIGNALEMENTS_MAX_PHOTO_BYTES")
    if upload.size is not None and upload.size > limit:
        raise _refuse(name, _("the file is over the size limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)})


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ORIENTATION_TAG) or 1)
    except Exception:  # a malformed EXIF block: keep the picture as it is
        return 1


def photo_process(upload) -> ProcessedPhoto:
    """Check and process one uploaded file; raises ValidationError with a message naming the file.

    Decoded once (a large JPEG straight at a reduced scale), resized to the published size, turned upright
    at that size (cheaper than turning the original), and the thumbnail made from the published copy.
    """
    name = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1][:200]
    photo_check_size(upload)
    upload.seek(0)
    data = upload.read()
    if not data:
        raise _refuse(name, _("the file is empty."))
    size = conf.get("SIGNALEMENTS_PHOTO_SIZE")
    image = _open(data, name, conf.get("SIGNALEMENTS_MAX_PHOTO_PIXELS"), size)
    gps = exif_position(image)
    orientation = _orientation(image)
    try:
        image = _rgb(image)
        # A square box, so turning the picture before or after resizing gives the same size.
        if max(image.size) > size:
            image = image.resize(_fit(image.size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
        if orientation in ORIENTATION_TRANSPOSE:
            image = image.transpose(ORIENTATION_TRANSPOSE[orientation])
        thumb_size = conf.get("SIGNALEMENTS_THUMBNAIL_SIZE")
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


def photos_process(uploads) -> list[ProcessedPhoto]:
    """Process every upload; raises one ValidationError listing every refused file."""
    uploads = [upload for upload in uploads if upload]
    limit = conf.get("SIGNALEMENTS_MAX_PHOTOS")
    if len(uploads) > limit:
        raise ValidationError(_("Send at most %(n)s photos.") % {"n": limit}, code="too_many_photos")
    processed, errors = [], []
    for upload in uploads:
        try:
            processed.append(photo_process(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return processed
