"""Settings of participatory budgets and their defaults; override any of them in the Django settings."""

from django.conf import settings

DEFAULTS = {
    # The photo a resident may join to an idea (and an agent to a milestone): bytes, pixels before
    # resizing; what is published goes through the core's image pipeline (civic.core.images).
    "BUDGET_MAX_PHOTO_BYTES": 12 * 1024 * 1024,
    "BUDGET_MAX_PHOTO_PIXELS": 50_000_000,
    # Photos per idea, and per milestone of a funded project (added by staff).
    "BUDGET_MAX_IDEA_PHOTOS": 1,
    "BUDGET_MAX_MILESTONE_PHOTOS": 6,
    # Longest side of the published photo and of its thumbnail, in pixels.
    "BUDGET_PHOTO_SIZE": 2048,
    "BUDGET_THUMBNAIL_SIZE": 400,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def photo_limits():
    from civic.core.images import ImageLimits

    return ImageLimits(
        max_bytes=get("BUDGET_MAX_PHOTO_BYTES"),
        max_pixels=get("BUDGET_MAX_PHOTO_PIXELS"),
        size=get("BUDGET_PHOTO_SIZE"),
        thumbnail_size=get("BUDGET_THUMBNAIL_SIZE"),
        max_files=get("BUDGET_MAX_IDEA_PHOTOS"),
    )


def milestone_photo_limits():
    """The idea photos' limits, with the number of photos a milestone may hold."""
    from dataclasses import replace

    return replace(photo_limits(), max_files=get("BUDGET_MAX_MILESTONE_PHOTOS"))


def milestone_thumbnail_limits():
    """What a stored milestone thumbnail must be (for ``manage.py reprocess_photos``)."""
    from dataclasses import replace

    limits = photo_limits()
    return replace(limits, size=limits.thumbnail_size)
