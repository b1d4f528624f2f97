"""Moderation is tested on comments (the contribution type civic ships), made on areas."""

from tests.discussions.conftest import api, area_rules, clear_rate_limits, english, render_thread, thread  # noqa: F401
