"""A shared Redis cache that never takes a page down.

Public pages are a cache's convenience, not its responsibility: when Redis
cannot be reached, a read misses and a write is dropped, the page is rendered
from the database, and the log says so (once a minute per process, so that an
outage does not flood it).

A Redis that hangs would make every request wait for its timeout. After a
failure the process leaves Redis alone for a few seconds (a circuit breaker,
one per Redis server and process, shared by both aliases and every thread):
pages read the database at once, and one request then tries Redis again.
"""

import functools
import logging
import time
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("gfmd.cache")

# Seconds to wait for Redis before rendering without it; a page should not wait on its cache. Redis answers
# a page's read in a millisecond or two, so this is a hang, not a busy moment.
TIMEOUT = 0.5
# Seconds a process goes without Redis after it failed, before trying it again.
RETRY_AFTER = 5
WARN_EVERY = 60


@dataclass
class Breaker:
    """Whether this process leaves a Redis server alone for now, after it failed to answer."""

    server: str
    resting_until: float = 0
    last_warning: float | None = None

    def resting(self):
        return time.monotonic() < self.resting_until

    def seconds_left(self):
        return max(0.0, self.resting_until - time.monotonic())

    def trip(self, operation, error):
        now = time.monotonic()
        self.resting_until = now + RETRY_AFTER
        if self.last_warning is None or now - self.last_warning > WARN_EVERY:
            self.last_warning = now
            log.warning("The cache is unreachable (%s: %s); pages are rendered without it.", operation, error)


# One per server: the `default` and `pages` aliases share a Redis, so one timeout rests both, in every thread.
_breakers = {}


def breaker_for(server):
    return _breakers.setdefault(server, Breaker(server))


def forgiving(default):
    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self.breaker.resting():
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except self._lib.RedisError as error:
                self.failed(method.__name__, error)
                return default() if callable(default) else default

        return call

    return decorate


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per server rather than making one at each call: making
    one sets up some 170 reply handlers, half a millisecond of a cached page's time."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = super().get_client(key, write=write)
        return clients[index]


class ForgivingRedisCache(RedisCache):
    # App servers share it, so it can hold the content revision for them all (lib/caching.py).
    shared_between_servers = True

    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = breaker_for(str(server))

    @property
    def _lib(self):
        return self._cache._lib

    def failed(self, operation, error):
        self.breaker.trip(operation, error)

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


class PagesCache(ForgivingRedisCache):
    """Whole pages in the shared Redis, with a copy of each page read kept in the process's memory.

    A page's key holds the content revision, so a copy can never be stale: a page served again costs a
    look-up in memory rather than bringing the page over from Redis. The revision itself is still read
    from Redis on every request (lib/caching.py), which keeps an edit public at once on every server.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._copies = LocMemCache(f"pages-copies:{server}:{self.key_prefix}", {"TIMEOUT": self.default_timeout})

    def get(self, key, default=None, version=None):
        value = self._copies.get(key, version=version)
        if value is None:
            value = super().get(key, version=version)
            if value is not None:
                self._copies.set(key, value, version=version)
        return default if value is None else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version=version)
        self._copies.set(key, value, timeout, version=version)

    def delete(self, key, version=None):
        self._copies.delete(key, version=version)
        return super().delete(key, version=version)

    def clear(self):
        self._copies.clear()
        return super().clear()


def forget_failures():
    """Every server is tried again at once: for tests, whose servers come and go on reused ports."""
    for breaker in _breakers.values():
        breaker.resting_until = 0
