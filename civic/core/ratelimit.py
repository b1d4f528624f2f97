"""How often one person, one address or one IP may do something that costs others: fixed windows in
the cache (Redis in production, so every process shares the counts).

``CIVIC_LIMITS`` overrides the defaults below, scope by scope and kind by kind:
``{"report": {"user": "10/h", "ip": "30/h"}, "email": {"address": "3/h", "ip": "20/h"}}``; a rate
is ``count/period`` with the period in s, m, h or d (``"5/10m"``), and ``None`` lifts a limit.

When the cache is unreachable nothing is counted and nothing is refused (the limits degrade open,
logged once per process): the site keeps working, without this protection, until the cache returns.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .cache import _warn_once, cache, cache_call

DEFAULTS = {
    # Reports, each of which notifies a service team: per account and per IP address.
    "report": {"user": "10/h", "ip": "30/h"},
    # Emails the site sends to an address someone typed (alert and report confirmations):
    # per address and per IP address of whoever asked.
    "email": {"address": "3/h", "ip": "20/h"},
    # Photos the report form's script sends ahead of the form, each run through the image pipeline.
    "photo_upload": {"user": "60/h", "ip": "120/h"},
}

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(ValidationError):
    """A refusal because a limit is used up: a form shows it as an error, the API answers 429."""

    status = 429

    def __init__(self, message, *, retry_after: int, field: str = "__all__"):
        super().__init__({field: [message]})
        self.message_text = str(message)
        self.retry_after = max(1, int(retry_after))


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/5m' -> (10, 300)."""
    match = _RATE_RE.match(rate or "")
    if not match:
        raise ValueError(f"Invalid rate {rate!r}: write count/period, e.g. 10/5m.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def rates(scope: str) -> dict[str, str | None]:
    configured = getattr(settings, "CIVIC_LIMITS", {}) or {}
    return {**DEFAULTS.get(scope, {}), **configured.get(scope, {})}


def describe_wait(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if seconds < 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _windows(scope: str, identities: dict):
    now = int(time.time())
    for kind, identity in identities.items():
        rate = rates(scope).get(kind)
        if not rate or identity in (None, ""):
            continue
        limit, period = parse_rate(rate)
        window = now - now % period
        digest = hashlib.sha256(str(identity).lower().encode()).hexdigest()[:24]
        yield f"civic:limit:{scope}:{kind}:{digest}:{window}", limit, period, window + period - now


def rate_limit_hit(scope: str, *, message: str, field: str = "__all__", **identities) -> None:
    """Count one action of ``scope`` for each identity (``user=pk``, ``ip=...``, ``address=...``);
    raise ``RateLimited`` (nothing counted) when one of them has used its limit up.

    ``message`` may hold ``%(wait)s``, replaced by how long to wait.
    """
    windows = list(_windows(scope, identities))
    for key, limit, _period, remaining in windows:
        if (cache_call("get", key) or 0) >= limit:
            raise RateLimited(message % {"wait": describe_wait(remaining)}, retry_after=remaining, field=field)
    for key, _limit, period, _remaining in windows:
        if not cache_call("add", key, 1, period + 5, default=True):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache_call("add", key, 1, period + 5)
            except Exception as exc:  # the cache failed: nothing is counted
                _warn_once(exc)


def client_ip(request) -> str | None:
    """The client's address (behind a load balancer: TRUSTED_PROXIES, civic.core.middleware.ForwardedForMiddleware)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def report_limit_message() -> str:
    return _("You have sent many reports in a short time. Please wait %(wait)s and try again.")


def photo_upload_limit_message() -> str:
    return _("You have sent many photos in a short time. Please wait %(wait)s and try again.")


def email_limit_message() -> str:
    return _("We have already sent several emails to this address. Please wait %(wait)s and try again.")
