"""Discussion settings and their defaults; override any of them in the Django settings."""

from django.conf import settings

DEFAULTS = {
    # Minutes during which the author may edit their comment.
    "CIVIC_DISCUSSIONS_EDIT_WINDOW_MINUTES": 15,
    # Top-level comments per page (replies are shown with their comment).
    "CIVIC_DISCUSSIONS_PAGE_SIZE": 20,
    # Longest comment, in characters.
    "CIVIC_DISCUSSIONS_MAX_LENGTH": 5000,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
