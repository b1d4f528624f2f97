"""ASGI entry point: HTTP through Django's WSGI handler on a fixed pool of threads, WebSockets through Channels.

Every view of the project is synchronous. Django's own ASGI handler runs each request in a thread
created for it, with the request body spooled and a task waiting for the disconnect: about 3 ms of
CPU per request on top of the view (docs/performance.md, "The request path"), and a database
connection that cannot outlive its thread. Here a2wsgi hands each HTTP request to
``HTTP_THREADS`` long-lived threads running the WSGI handler: the overhead falls to a fraction of a
millisecond, and each thread keeps its database and cache connections between requests (the
database's for ``CONN_MAX_AGE`` seconds).

A view that sends to the channel layer (``async_to_sync(layer.group_send)``) runs that coroutine on
the server's event loop, as it would under Django's ASGI handler, so the in-memory channel layer of
a single process keeps working.
"""

import asyncio
import contextvars
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")

import django  # noqa: E402

django.setup(set_prefix=False)

from a2wsgi import WSGIMiddleware  # noqa: E402
from asgiref.sync import SyncToAsync  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from civic.routing import websocket_urlpatterns  # noqa: E402

_pool_thread = threading.local()


class PooledWSGI:
    """Django's WSGI handler behind a fixed thread pool, as an ASGI application for HTTP."""

    def __init__(self, threads: int):
        self.handler = WSGIHandler()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pid = os.getpid()
        self.asgi = WSGIMiddleware(self._call, workers=threads)

    def _call(self, environ, start_response):
        # a2wsgi runs each request in a copy of the event loop's context. Django keeps per-thread
        # state in asgiref Locals, some backed by context variables (the cache connections): in a
        # fresh copy each time they would be rebuilt for every request, a new Redis connection
        # included. Each pool thread therefore runs its requests in one context of its own.
        context = getattr(_pool_thread, "context", None)
        if context is None:
            context = _pool_thread.context = contextvars.copy_context()
        return context.run(self._handle, environ, start_response)

    def _handle(self, environ, start_response):
        # async_to_sync finds the server's loop, as it does in the threads of Django's ASGI handler.
        local = SyncToAsync.threadlocal
        local.main_event_loop, local.main_event_loop_pid = self.loop, self.pid
        return self.handler(environ, start_response)

    async def __call__(self, scope, receive, send):
        if self.loop is None:
            self.loop, self.pid = asyncio.get_running_loop(), os.getpid()
        await self.asgi(scope, receive, send)


http_application = PooledWSGI(threads=settings.HTTP_THREADS)

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
