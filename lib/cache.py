"""A shared Redis cache that never takes a page down.

Public pages are a cache's convenience, not its responsibility: when Redis
cannot be reached, a read misses and a write is dropped, the page is rendered
from the database, and the log says so (once a minute per process, so that an
outage does not flood it).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("gfmd.cache")

# Seconds to wait for Redis before rendering without it; a page should not wait on its cache.
TIMEOUT = 0.5
WARN_EVERY = 60


def forgiving(default):
    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except self._lib.RedisError as error:
                self.warn(method.__name__, error)
                return default() if callable(default) else default

        return call

    return decorate


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        self._last_warning = None

    @property
    def _lib(self):
        return self._cache._lib

    def warn(self, operation, error):
        now = time.monotonic()
        if self._last_warning is None or now - self._last_warning > WARN_EVERY:
            self._last_warning = now
            log.warning("The cache is unreachable (%s: %s); pages are rendered without it.", operation, error)

    get = forgiving(None)(RedisCache.get)
    get_many = forgiving(dict)(RedisCache.get_many)
    has_key = forgiving(False)(RedisCache.has_key)
    add = forgiving(False)(RedisCache.add)
    set = forgiving(None)(RedisCache.set)
    set_many = forgiving(list)(RedisCache.set_many)
    touch = forgiving(False)(RedisCache.touch)
    delete = forgiving(False)(RedisCache.delete)
    delete_many = forgiving(None)(RedisCache.delete_many)
    clear = forgiving(False)(RedisCache.clear)
