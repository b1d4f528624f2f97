"""Django's Redis cache, keeping one Redis client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` builds a ``redis.Redis`` object for every cache operation, and redis-py
sets up some two hundred response callbacks each time: about a fifth of a ballot's CPU time when the
session and the budget come from the cache. A client only holds its pool, and redis-py's clients are
safe to share between threads, so one per pool is kept.
"""

import logging

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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


logger = logging.getLogger(__name__)
_warned = False


def _cache_failed(error: Exception) -> None:
    global _warned
    if not _warned:
        _warned = True
        logger.warning("The cache is unreachable (%s): pages are built without it.", error)


def cache_get(key: str):
    """``cache.get(key)``, or None when the cache is unreachable: the cache only accelerates."""
    try:
        return cache.get(key)
    except Exception as error:  # any backend error (Redis down, timeout) means "not cached"
        _cache_failed(error)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    """``cache.set``, ignoring an unreachable cache."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        _cache_failed(error)
