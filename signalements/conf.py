"""Settings of incident reports and their defaults; override any of them in the Django settings."""

from django.conf import settings

DEFAULTS = {
    # Photos per report, and the limits a photo must respect (bytes, pixels before resizing).
    "SIGNALEMENTS_MAX_PHOTOS": 3,
    "SIGNALEMENTS_MAX_PHOTO_BYTES": 12 * 1024 * 1024,
    "SIGNALEMENTS_MAX_PHOTO_PIXELS": 50_000_000,
    # Longest side of the published photo and of its thumbnail, in pixels.
    "SIGNALEMENTS_PHOTO_SIZE": 2048,
    "SIGNALEMENTS_THUMBNAIL_SIZE": 400,
    # A report by someone not logged in waits this long for its confirmation, then expires.
    "SIGNALEMENTS_CONFIRMATION_HOURS": 72,
    # Photos kept across the report form's errors wait this long for their report, then expire.
    "SIGNALEMENTS_PENDING_PHOTO_HOURS": 24,
    # The reporter may say "still not fixed" this many days after the report was closed.
    "SIGNALEMENTS_REOPEN_DAYS": 28,
    # A report not acknowledged after this many days, or not closed after the second figure, is overdue.
    "SIGNALEMENTS_ACKNOWLEDGE_DAYS": 5,
    "SIGNALEMENTS_FIX_DAYS": 30,
    # Below this zoom the map API answers with clusters (grid cells) instead of points.
    "SIGNALEMENTS_CLUSTER_BELOW_ZOOM": 16,
    # Email alerts around a point: the radius a person may choose, in metres; alerts per email address.
    "SIGNALEMENTS_ALERT_MIN_RADIUS": 100,
    "SIGNALEMENTS_ALERT_MAX_RADIUS": 5000,
    "SIGNALEMENTS_ALERTS_PER_EMAIL": 20,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
