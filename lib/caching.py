"""Public pages are cached whole, keyed by the content revision, and answer conditional GETs.

Every write of the content goes through `content_changed`, which bumps the
revision, so a cached page can never outlive the data it shows: an editor's
correction is public on the next request, on every app server.
"""

import hashlib
import threading
from contextvars import ContextVar
from functools import wraps
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from lib import search

PAGE_TIMEOUT = 60 * 60 * 24

# The revision the current request read, so that it is read once per request.
request_revision = ContextVar("request_revision", default=None)


def revision_model():
    """The project's ContentRevision, named by its label so that this module imports no app."""
    return apps.get_model("gfmd", "ContentRevision")


def current_revision():
    # Read on every public request, cached page or not: one plain statement, without building an ORM query,
    # which would cost more than serving the cached page itself.
    table = connection.ops.quote_name(revision_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def content_changed(records=(), *, documents=()):
    """The one write path: whatever writes content calls this after its writes, in the same transaction.

    It bumps the content revision, the key of every cached page and of what is
    derived per revision, and rewrites the search documents of `records` and of
    the records whose documents show something of them. `documents` adds the
    documents of records deleted in the transaction, read before they went
    (`search.documents_of`), as a deleted record no longer knows its key.
    Committed together, the records, the revision and the search index agree
    whatever stops the writer.
    """
    with transaction.atomic(savepoint=False):
        bump_revision()
        search.update(search.documents_of(records) | set(documents))


def bump_revision():
    """A fresh database gets its first row here."""
    if revision_model().objects.filter(pk=1).update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            revision_model().objects.create(pk=1, number=1)
    except IntegrityError:
        revision_model().objects.filter(pk=1).update(number=F("number") + 1)


def etag(request, *args, **kwargs):
    request.content_revision = current_revision()
    # Citations on the pages carry the day they were accessed, so a page is fresh for one day at most.
    return f"r{request.content_revision}-{timezone.localdate():%Y%m%d}"


_memos = []


def per_revision(function):
    """Keep what function returns, in this process, for as long as the content revision is unchanged.

    For small lookups every list needs whatever its filters (the meetings and
    their years, the themes, the tags in use): read once per revision rather
    than once per request. The revision is the one the current request read,
    so a page never mixes two revisions; outside a page request nothing is kept.
    """
    memo = {}
    lock = threading.Lock()
    _memos.append(memo)

    @wraps(function)
    def remembered():
        revision = request_revision.get()
        if revision is None:
            return function()
        with lock:
            if memo.get("revision") == revision:
                return memo["value"]
        value = function()
        with lock:
            memo.update(revision=revision, value=value)
        return value

    return remembered


def forget_per_revision():
    """Drop what per_revision kept: for tests, whose rolled-back transactions reuse revision numbers."""
    for memo in _memos:
        memo.clear()


def page_key(request, revision, known=None):
    """The cache key of a page: the revision, the scheme, the host, the path and its parameters, sorted.

    The scheme because a page holds absolute links: behind a TLS proxy, a page asked over plain
    HTTP must not be served to HTTPS readers with http:// links.

    With `known`, only those parameters count (the caller has refused any other),
    so that reordering or repeating the query string never makes a new entry.
    """
    params = sorted(
        (name, value) for name, values in request.GET.lists() if known is None or name in known for value in values
    )
    address = request.path + "?" + urlencode(params)
    return f"page:{revision}:{request.scheme}:{request.get_host()}:{hashlib.sha256(address.encode()).hexdigest()}"


def unknown_parameter_response(request, unknown, known):
    names = ", ".join(sorted(unknown))
    takes = f"it takes {', '.join(sorted(known))}" if known else "it takes none"
    message = f"This page does not take {names}: {takes}."
    if request.path.startswith("/api/"):
        response = JsonResponse({"errors": {name: [message] for name in sorted(unknown)}}, status=400)
    else:
        response = render(request, "400.html", {"message": message}, status=400)
    return response


def cached_page(view=None, *, params=None):
    """Serve the page from the cache while the content is unchanged; answer 304 to a matching ETag.

    `params` names the query parameters the page takes (or is a function giving
    them): any other is a 400, never cached, and the cache key holds only those.
    Without it, every parameter is part of the key.
    """
    if view is None:
        return lambda view: cached_page(view, params=params)

    @wraps(view)
    def cached(request, *args, **kwargs):
        revision = getattr(request, "content_revision", None)
        if revision is None:
            revision = current_revision()
        known = None
        if params is not None:
            known = frozenset(params() if callable(params) else params)
            unknown = set(request.GET) - known
            if unknown:
                return unknown_parameter_response(request, unknown, known)
        # The day too: pages cite the day they were accessed.
        key = f"{page_key(request, revision, known)}:{timezone.localdate():%Y%m%d}"
        stored = cache.get(key)
        if stored is not None:
            response = stored
        else:
            token = request_revision.set(revision)
            try:
                response = view(request, *args, **kwargs)
            finally:
                request_revision.reset(token)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                cache.set(key, response, PAGE_TIMEOUT)
        # Browsers and proxies check back each time: the ETag makes that a cheap 304.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    # A page answers GET and HEAD; anything else (OPTIONS, TRACE, POST...) is a 405 naming those two.
    return require_safe(condition(etag_func=etag)(cached))
