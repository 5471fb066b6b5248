"""The project's settings, with static files collected into a folder the benchmark owns and throws away."""

import os

from gfmd.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
ROOT_URLCONF = "bench.urls"

# The uncached server: every request renders its page, as for a URL nobody asked for since the last edit;
# what pages derive per content revision stays in the default cache, as it does between edits.
if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405

# A server error under load is written to the server's log, which the bench shows when a page fails.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
