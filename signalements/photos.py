"""Report photos: the core's image pipeline (``civic.core.images``) with this module's limits."""

from civic.core.images import ImageLimits, ProcessedPhoto, exif_position, image_process, images_process

from . import conf

__all__ = ["ProcessedPhoto", "exif_position", "photo_limits", "photo_process", "photos_process", "thumbnail_limits"]


def photo_limits() -> ImageLimits:
    """Read at each call, so a setting changed at run time (or in a test) applies."""
    return ImageLimits(
        max_bytes=conf.get("SIGNALEMENTS_MAX_PHOTO_BYTES"),
        max_pixels=conf.get("SIGNALEMENTS_MAX_PHOTO_PIXELS"),
        size=conf.get("SIGNALEMENTS_PHOTO_SIZE"),
        thumbnail_size=conf.get("SIGNALEMENTS_THUMBNAIL_SIZE"),
        max_files=conf.get("SIGNALEMENTS_MAX_PHOTOS"),
    )


def thumbnail_limits() -> ImageLimits:
    """What a stored thumbnail must be (for ``manage.py reprocess_photos``)."""
    size = conf.get("SIGNALEMENTS_THUMBNAIL_SIZE")
    return ImageLimits(
        max_bytes=conf.get("SIGNALEMENTS_MAX_PHOTO_BYTES"),
        max_pixels=conf.get("SIGNALEMENTS_MAX_PHOTO_PIXELS"),
        size=size,
        thumbnail_size=size,
    )


def photo_process(upload) -> ProcessedPhoto:
    return image_process(upload, limits=photo_limits())


def photos_process(uploads) -> list[ProcessedPhoto]:
    return images_process(uploads, limits=photo_limits())
