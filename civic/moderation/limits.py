"""Abuse limits: how many comments or flags a person, or an IP address, may send in a period.

Fixed windows counted in the cache (Redis in production, so every process shares the counts).
Configured by ``CIVIC_RATE_LIMITS``: ``{"comment": {"user": "10/5m", "ip": "30/5m"}, ...}``. Rates are
read, waits described and the client's address found by the core's ``civic.core.ratelimit``.
"""

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from civic.core.ratelimit import client_ip, describe_wait, parse_rate

from . import conf
from .exceptions import RateLimited

__all__ = ["client_ip", "parse_rate", "rate_limit_check", "rate_limit_count"]


def _keys(scope: str, *, user=None, ip: str | None = None):
    rates = conf.get("CIVIC_RATE_LIMITS").get(scope, {})
    now = int(time.time())
    for kind, identity in (("user", getattr(user, "pk", None)), ("ip", ip)):
        rate = rates.get(kind)
        if not rate or identity in (None, ""):
            continue
        limit, period = parse_rate(rate)
        window = now - now % period
        digest = hashlib.sha256(str(identity).encode()).hexdigest()[:24]
        yield f"civic:ratelimit:{scope}:{kind}:{digest}:{window}", limit, period, window + period - now


MESSAGES = {
    "comment": lambda wait: (
        _("You have posted many comments in a short time. Please wait %(wait)s and try again.") % {"wait": wait}
    ),
    "flag": lambda wait: (
        _("You have sent many reports in a short time. Please wait %(wait)s and try again.") % {"wait": wait}
    ),
}


def rate_limit_check(scope: str, *, user=None, ip: str | None = None) -> None:
    """Raise ``RateLimited`` (with Retry-After seconds) when the person or the IP used up the scope."""
    for key, limit, _period, remaining in _keys(scope, user=user, ip=ip):
        if (cache.get(key) or 0) >= limit:
            message = MESSAGES.get(scope, MESSAGES["comment"])(describe_wait(remaining))
            raise RateLimited(message, retry_after=remaining)


def rate_limit_count(scope: str, *, user=None, ip: str | None = None) -> None:
    """Count one more action in the scope, for the person and for the IP."""
    for key, _limit, period, _remaining in _keys(scope, user=user, ip=ip):
        if not cache.add(key, 1, period + 5):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, period + 5)
