"""Django's Redis cache, keeping one Redis client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` builds a ``redis.Redis`` object for every cache operation, and redis-py
sets up some two hundred response callbacks each time: about a fifth of a ballot's CPU time when the
session and the budget come from the cache. A client only holds its pool, and redis-py's clients are
safe to share between threads, so one per pool is kept.

``FailSafeRedisCache`` (the one the settings use) also serves pages when Redis is unreachable.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


# --- The cache is an accelerator: when it is unreachable, pages work without it ------------------

logger = logging.getLogger("civic.cache")
_warned = False


def _warn_once(exc: BaseException) -> None:
    """Log, once per process, that the cache is unreachable and that pages go on without it."""
    global _warned
    if not _warned:
        _warned = True
        logger.warning(
            "The cache is unreachable (%s: %s): pages are served without it, rate limits are not counted, "
            "until it answers again. This is logged once per process.",
            exc.__class__.__name__,
            exc,
        )


def cache_call(method: str, *args, default=None, **kwargs):
    """``cache.<method>(*args, **kwargs)``, or ``default`` (logged once) when the cache fails."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as exc:  # any backend's failure: the cache only ever speeds things up
        _warn_once(exc)
        return default


def _failsafe(name: str, default):
    method = getattr(DjangoRedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            _warn_once(exc)
            return default(args, kwargs) if callable(default) else default

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


class FailSafeRedisCache(RedisCache):
    """Redis, except that an unreachable server is a miss instead of an error.

    Reads answer "not cached", writes are dropped (``add`` says it stored, so that callers do not
    retry; ``incr`` answers as if the count started now), and the first failure is logged once per
    process. ``check()`` still raises, for /healthz.
    """

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    get = _failsafe("get", lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None))
    get_many = _failsafe("get_many", lambda args, kwargs: {})
    set = _failsafe("set", None)
    set_many = _failsafe("set_many", lambda args, kwargs: [])
    add = _failsafe("add", True)
    touch = _failsafe("touch", False)
    delete = _failsafe("delete", False)
    delete_many = _failsafe("delete_many", None)
    has_key = _failsafe("has_key", False)
    incr = _failsafe("incr", lambda args, kwargs: kwargs.get("delta", args[1] if len(args) > 1 else 1))
    clear = _failsafe("clear", None)

    def check(self) -> None:
        """Write, read back and delete a value, raising whatever the server says (for /healthz)."""
        key = f"healthz:{uuid.uuid4().hex}"
        DjangoRedisCache.set(self, key, "ok", 10)
        value = DjangoRedisCache.get(self, key)
        DjangoRedisCache.delete(self, key)
        if value != "ok":
            raise RuntimeError("value written to the cache could not be read back")


def cache_get(key: str):
    """``cache.get(key)``, or None when the cache is unreachable: the cache only accelerates."""
    return cache_call("get", key)


def cache_set(key: str, value, timeout: int) -> None:
    """``cache.set``, ignoring an unreachable cache."""
    cache_call("set", key, value, timeout)
