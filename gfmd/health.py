"""What a server needs to serve its pages, as /healthz asks it and as the WSGI application checks at start.

The database and the collected static files are vital: without either, pages fail. The shared cache is
not: without it pages are rendered from the database (lib/cache.py), so a cache that does not answer
makes the server degraded, not failing.
"""

import logging
import secrets

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection

log = logging.getLogger("gfmd.health")

NO_STATIC_MANIFEST = (
    "the static files' manifest (staticfiles.json) is missing, so every page would fail: with DEBUG off, run "
    "`python manage.py collectstatic --no-input` before starting the server"
)


def database_problem():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The error names hosts; it goes to the log, not to whoever asks.
        log.exception("Health check: the database did not answer.")
        return "unreachable (see the log)"
    return None


def cache_problem():
    breaker = getattr(cache, "breaker", None)
    if breaker is not None and breaker.resting():
        # Asking again would only wait for the timeout: the process leaves the cache alone for now.
        return f"unreachable: left alone for {breaker.seconds_left():.0f} s after it failed (see the log)"
    probe = secrets.token_hex(8)
    key = f"healthz:{probe}"
    cache.set(key, probe, 10)
    answered = cache.get(key)
    cache.delete(key)
    # The shared cache swallows its own errors (lib/cache.py); a probe that does not come back is the sign.
    return None if answered == probe else "unreachable: a value stored was not read back (see the log)"


def static_problem():
    """Why the static files cannot be served, or None. Only the manifest storage (DEBUG off) needs them
    collected; without its manifest, every page's {% static %} would fail."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    if staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return None
    return "missing: " + NO_STATIC_MANIFEST


# What the server cannot serve pages without, and what it can.
VITAL = {"database": database_problem, "static": static_problem}
DEGRADING = {"cache": cache_problem}


def refuse_to_start_without_static_files():
    """Called by the WSGI and ASGI applications as they load: a server that would fail every page stops
    at once with the reason. Raised, not SystemExit: gunicorn then stops ("Worker failed to boot") rather
    than start the worker again and again. Management commands (collectstatic, migrate) never load it."""
    if static_problem():
        raise ImproperlyConfigured(f"The site cannot start: {NO_STATIC_MANIFEST}.")
