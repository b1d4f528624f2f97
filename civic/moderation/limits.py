"""Abuse limits: how many comments or flags a person, or an IP address, may send in a period.

Fixed windows counted in the cache (Redis in production, so every process shares the counts).
Configured by ``CIVIC_RATE_LIMITS``: ``{"comment": {"user": "10/5m", "ip": "30/5m"}, ...}``.
"""

import hashlib
import re
import time

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import conf
from .exceptions import RateLimited

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/5m' -> (10, 300)."""
    match = _RATE_RE.match(rate or "")
    if not match:
        raise ValueError(f"Invalid rate {rate!r}: write count/period, e.g. 10/5m.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


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


def _describe(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if seconds < 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


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
            message = MESSAGES.get(scope, MESSAGES["comment"])(_describe(remaining))
            raise RateLimited(message, retry_after=remaining)


def rate_limit_count(scope: str, *, user=None, ip: str | None = None) -> None:
    """Count one more action in the scope, for the person and for the IP."""
    for key, _limit, period, _remaining in _keys(scope, user=user, ip=ip):
        if not cache.add(key, 1, period + 5):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, period + 5)


def client_ip(request) -> str | None:
    """The client's address (behind a load balancer: TRUSTED_PROXIES, civic.core.middleware.ForwardedForMiddleware)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
