"""Moderation settings and their defaults; override any of them in the Django settings."""

from django.conf import settings

DEFAULTS = {
    # Open flags after which a published contribution leaves public view until reviewed.
    "CIVIC_MODERATION_FLAG_THRESHOLD": 3,
    # Site-wide default when a space does not say whether contributions wait for a moderator.
    "CIVIC_MODERATION_PREMODERATION": False,
    # Words and phrases that hold a contribution for review, added to the list edited in the admin.
    # A trailing "*" matches any ending ("arnaque*" holds "arnaques" and "arnaqueur").
    "CIVIC_MODERATION_HELD_WORDS": (),
    # Hold contributions that contain an email address or a French phone number.
    "CIVIC_MODERATION_HOLD_PERSONAL_DATA": True,
    # How long a moderator's claim on an item ("reviewing by ...") lasts without a decision.
    "CIVIC_MODERATION_CLAIM_MINUTES": 5,
    # Cache-based limits per person and per IP address: "count/period", period in s, m, h or d.
    "CIVIC_RATE_LIMITS": {
        "comment": {"user": "10/5m", "ip": "30/5m"},
        "flag": {"user": "20/h", "ip": "60/h"},
    },
}


def get(name: str):
    if name == "CIVIC_RATE_LIMITS":
        limits = {scope: dict(values) for scope, values in DEFAULTS[name].items()}
        for scope, values in getattr(settings, name, {}).items():
            limits.setdefault(scope, {}).update(values)
        return limits
    return getattr(settings, name, DEFAULTS[name])
