"""A shared Redis cache that never takes a page down.

Public pages are a cache's convenience, not its responsibility: when Redis
cannot be reached, a read misses and a write is dropped, the page is rendered
from the database, and the log says so (once a minute per process, so that an
outage does not flood it).

A Redis that hangs would make every request wait for its timeout. After a
failure the process leaves Redis alone for a few seconds (a circuit breaker):
pages read the database at once, and one request then tries Redis again.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("gfmd.cache")

# Seconds to wait for Redis before rendering without it; a page should not wait on its cache. Redis answers
# a page's read in a millisecond or two, so this is a hang, not a busy moment.
TIMEOUT = 0.2
# Seconds a process goes without Redis after it failed, before trying it again.
RETRY_AFTER = 5
WARN_EVERY = 60


def forgiving(default):
    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self._resting_until:
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except self._lib.RedisError as error:
                self.failed(method.__name__, error)
                return default() if callable(default) else default

        return call

    return decorate


class ForgivingRedisCache(RedisCache):
    # App servers share it, so it can hold the content revision for them all (lib/caching.py).
    shared_between_servers = True

    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        # Django makes a cache object per thread: a gunicorn sync worker has one, for its whole life.
        self._resting_until = 0
        self._last_warning = None

    @property
    def _lib(self):
        return self._cache._lib

    def failed(self, operation, error):
        now = time.monotonic()
        self._resting_until = now + RETRY_AFTER
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
