"""Behind a trusted load balancer the client's address comes from X-Forwarded-For, never otherwise."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from civic.core.middleware import ForwardedForMiddleware


def _address(settings, remote, forwarded, trusted=("10.0.0.10", "10.1.0.0/16")):
    settings.TRUSTED_PROXIES = list(trusted)
    seen = {}

    def view(request):
        seen["ip"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    ForwardedForMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))
    return seen["ip"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.10", "203.0.113.7", "203.0.113.7"),  # from the balancer
        ("10.1.4.2", "203.0.113.7", "203.0.113.7"),  # a balancer in a trusted network
        ("10.0.0.10", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left part is the client's claim
        ("10.0.0.10", "203.0.113.7, 10.1.4.2", "203.0.113.7"),  # two proxies in a row
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # not from a trusted proxy: header ignored
        ("10.0.0.10", None, "10.0.0.10"),
        ("10.0.0.10", "not-an-address", "10.0.0.10"),  # garbage: the balancer's address stays
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    assert _address(settings, remote, forwarded) == expected


def test_nothing_trusted_nothing_changes(settings):
    assert _address(settings, "10.0.0.10", "203.0.113.7", trusted=()) == "10.0.0.10"
