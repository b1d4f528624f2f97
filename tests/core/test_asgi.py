"""HTTP through civic.asgi: Django's WSGI handler on a pool of threads that keep their state."""

import contextvars
from unittest import mock

from asgiref.local import Local


def test_a_pool_thread_keeps_djangos_local_state_from_one_request_to_the_next():
    """a2wsgi gives each request a fresh copy of the loop's context; Django's context-backed Locals
    (the cache connections) must still see what the thread's previous request left there."""
    from civic.asgi import http_application

    local, seen = Local(), []

    def handler(environ, start_response):
        seen.append(getattr(local, "value", None))
        local.value = "kept"
        return []

    with mock.patch.object(http_application, "handler", handler):
        for _request in range(2):
            contextvars.copy_context().run(http_application._call, {}, None)
    assert seen == [None, "kept"]
