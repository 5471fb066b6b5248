"""Public pages are cached whole, keyed by the content revision, and answer conditional GETs.

Every write of the content goes through `content_changed`, which bumps the
revision, so a cached page can never outlive the data it shows: an editor's
correction is public on the next request, on every app server.

Two caches: `pages` holds whole responses, `default` what pages derive from the
content (facet choices, totals, small tables), keyed by the revision as well.
Both are keyed by the interface's language too: a page, and anything derived
that may hold interface text, is kept once per language.
"""

import hashlib
import re
import threading
from contextvars import ContextVar
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from lib import anchoring, related, search
from lib.models import configured_model

PAGE_TIMEOUT = 60 * 60 * 24
# The largest page kept, in bytes: a list of every facet value at 100x is about 100 kB.
PAGE_SIZE_LIMIT = 1024 * 1024
# How long a shared cache vouches for the revision it holds. An edit writes the new revision there as
# it commits, so this bounds only what the cache cannot see: a write in SQL, an edit while it was down.
REVISION_TIMEOUT = 5
REVISION_KEY = "content-revision"
# The longest arguments a per_revision key names in full; longer ones it names by their digest.
ARGUMENTS_KEY_LIMIT = 100

# The revision the current request read, so that it is read once per request.
request_revision = ContextVar("request_revision", default=None)
# What per_revision values the current request has read, so that each is read from the cache once.
request_values = ContextVar("request_values", default=None)


def revision_model():
    return configured_model("CONTENT_REVISION_MODEL")


def revision_in_database():
    # One plain statement, without building an ORM query, which would cost more than serving the
    # cached page itself.
    table = connection.ops.quote_name(revision_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def shares_the_revision(cache):
    """Whether app servers share this cache, so that it can hold the revision for them all: a cache in
    each process's memory cannot see another process's edits, and the revision stays in the database."""
    return getattr(cache, "shared_between_servers", False)


def current_revision():
    """The content revision, read on every public request: from a shared cache when there is one (a cached
    page then makes no query), else, or when the cache does not have it, from the database."""
    cache = caches["default"]
    if not shares_the_revision(cache):
        return revision_in_database()
    revision = cache.get(REVISION_KEY)
    if revision is None:
        revision = revision_in_database()
        # add, not set: an edit committed meanwhile has written a newer revision, which must stay.
        cache.add(REVISION_KEY, revision, REVISION_TIMEOUT)
    return revision


def publish_revision():
    """Once an edit has committed: tell the shared cache the new revision, so that every server shows it."""
    cache = caches["default"]
    if shares_the_revision(cache):
        cache.set(REVISION_KEY, revision_in_database(), REVISION_TIMEOUT)


def content_changed(records=(), *, documents=()):
    """The one write path: whatever writes content calls this after its writes, in the same transaction.

    It bumps the content revision, the key of every cached page and of what is
    derived per revision, and rewrites the search documents of `records` and of
    the records whose documents show something of them. `documents` adds the
    documents of records deleted in the transaction, read before they went
    (`search.documents_of`), as a deleted record no longer knows its key.
    It rewrites the records' anchors in their sources' stored texts too
    (`lib.anchoring`), and removes the deleted records'. Committed together, the
    records, the revision, the search index and the anchors agree whatever
    stops the writer. The records related to them by wording follow (`lib.related`).
    """
    with transaction.atomic(savepoint=False):
        bump_revision()
        stretches = anchoring.update(records, documents)
        targets = search.documents_of(records) | set(documents)
        search.update(targets | stretches)
        # After the documents: the related records are computed from their words.
        related.update(targets)


def bump_revision():
    """A fresh database gets its first row here."""
    if not revision_model().objects.filter(pk=1).update(number=F("number") + 1):
        try:
            with transaction.atomic():
                revision_model().objects.create(pk=1, number=1)
        except IntegrityError:
            revision_model().objects.filter(pk=1).update(number=F("number") + 1)
    # Outside a transaction at once; inside one when it commits, and never if it rolls back.
    transaction.on_commit(publish_revision)


def per_revision(function=None, *, name=None):
    """Keep what function returns in the cache (`default`), under its name and the content revision.

    For what every list or page needs whatever its filters (the meetings and
    their years, the themes, the tags in use, totals over every meeting): read
    once per revision by whichever server asks first rather than once per
    request. The revision is the one the current request read, so a page never
    mixes two revisions; outside a page request nothing is kept. Each request
    gets its own copy (the cache pickles what it keeps), read at most once.

    `name` identifies the value across processes; it defaults to the function's
    qualified name, so a function made in a loop or a factory must be given one.
    A function of arguments (a record's id, models) keeps a value for each, as
    functools.cache does, its key naming them (`key_part`).
    """
    if function is None:
        return partial(per_revision, name=name)
    if name is None:
        if "<locals>" in function.__qualname__:
            raise TypeError(f"{function.__qualname__} is made at run time: give per_revision a name for it.")
        name = f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def remembered(*args):
        revision = request_revision.get()
        if revision is None:
            return function(*args)
        # Keyed by the active language as well, whatever the value: labels, headings and notes derived from
        # the content are rendered in it, and a value that holds no text costs only two more entries.
        language = translation.get_language()
        named = ":".join([name, arguments_key(args)]) if args else name
        values = request_values.get()
        if (language, named) in values:
            return values[language, named]
        cache = caches["default"]
        key = f"derived:{revision}:{language}:{named}"
        # In a tuple, so that a None the function returns is told from a value not in the cache.
        stored = cache.get(key)
        if stored is None:
            stored = (function(*args),)
            cache.set(key, stored, PAGE_TIMEOUT)
        values[language, named] = stored[0]
        return stored[0]

    return remembered


def arguments_key(args):
    """The arguments of a per_revision function as its cache key names them: in full while short, else by
    their digest, since a key may have at most 250 characters (memcached refuses a longer one) and a list of
    models runs past that."""
    named = ":".join(map(key_part, args))
    if len(named) > ARGUMENTS_KEY_LIMIT:
        return hashlib.sha256(named.encode()).hexdigest()[:32]
    return named


def key_part(argument):
    """An argument of a per_revision function as its cache key names it: a record by its model's label and
    its id, a model by its label, a list by its items, a number or a word as written. A cache key may hold
    no space (memcached refuses one): "UN Women" is named by its record's id."""
    if isinstance(argument, (list, tuple)):
        return ",".join(map(key_part, argument))
    if isinstance(argument, models.Model):
        return f"{argument._meta.label}.{argument.pk}"
    if isinstance(argument, type) and issubclass(argument, models.Model):
        return argument._meta.label
    if isinstance(argument, int) or (isinstance(argument, str) and argument and not re.search(r"[\s:,]", argument)):
        return str(argument)
    raise TypeError(f"per_revision keys its values by ids, words and models, not by {argument!r}.")


_process_memos = []


def per_revision_in_process(function):
    """Keep what function returns in this process, for as long as the content revision is unchanged.

    For the lists' facet indexes alone: bitsets of every record, read by every
    list page, which would cost more to copy out of a cache than to keep. What
    function returns is shared by the process's requests, and only read.
    """
    memo = {}
    lock = threading.Lock()
    _process_memos.append(memo)

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
    """Drop what the process keeps per revision: for tests, whose rolled-back transactions reuse revision
    numbers (they clear the caches too)."""
    for memo in _process_memos:
        memo.clear()


def page_language(request):
    """The language of a public page: the one its address names (/fr/, /es/), else English.

    Read from the address alone, never from a cookie or the browser's Accept-Language: the page cache runs
    before LocaleMiddleware, and a page's address must give the same page to everyone.
    """
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def page_key(request, revision, known, language):
    """The cache key of a page: the release, the revision, the day, the language, the path and the parameters
    it takes, sorted.

    Nothing else of the request: pages build their absolute links from SITE_URL, not from the Host header,
    so that neither a stray host nor a query string the page does not read makes a new entry. The path
    names the language already (/fr/...); the key says it too, so that it never rests on that alone.
    """
    params = sorted((name, value) for name, values in request.GET.lists() if name in known for value in values)
    address = request.path + "?" + urlencode(params)
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{settings.RELEASE}:{revision}:{timezone.localdate():%Y%m%d}:{language}:{digest}"


def page_etag(revision, language):
    # Citations on the pages carry the day they were accessed, so a page is fresh for one day at most; a
    # deploy changes the release, so a browser never keeps a page the old code rendered; the language, so
    # that a browser's copy of a page in one language never answers for it in another.
    return quote_etag(f"{settings.RELEASE}-r{revision}-{timezone.localdate():%Y%m%d}-{language}")


def unknown_parameter_response(request, unknown, known):
    names = ", ".join(sorted(unknown))
    if known:
        message = gettext("This page does not take {names}: it takes {known}.")
    else:
        message = gettext("This page does not take {names}: it takes none.")
    message = message.format(names=names, known=", ".join(sorted(known)))
    if request.path.startswith("/api/"):
        response = JsonResponse({"errors": {name: [message] for name in sorted(unknown)}}, status=400)
    else:
        response = render(request, "400.html", {"message": message}, status=400)
    return response


def cached_page(view=None, *, params=()):
    """Declare a public page: the page cache (`page_cache`, a middleware) keeps it whole per revision.

    `params` names the query parameters the page reads (or is a function giving
    them): any other is a 400 naming them, and the cache key holds only those.
    The view runs with what `per_revision` keeps for the revision its request read.
    """
    if view is None:
        return lambda view: cached_page(view, params=params)

    @wraps(view)
    def page(request, *args, **kwargs):
        revision = getattr(request, "content_revision", None)
        return render_at(current_revision() if revision is None else revision, view, request, *args, **kwargs)

    page.page_params = params
    # A page answers GET and HEAD; anything else (OPTIONS, TRACE, POST...) is a 405 naming those two.
    return require_safe(page)


def page_cache(get_response):
    """Serve public pages (views declared with `cached_page`) from the `pages` cache while the content is
    unchanged, and answer 304 to a matching ETag.

    It runs before the session, CSRF, authentication and admin middleware, so a page served again costs
    little more than a bare Django view; what it stores is the response those middleware finished.
    """

    def middleware(request):
        language = page_language(request)
        # LocaleMiddleware has not run yet: the address resolves, and an error renders, in its own language.
        with translation.override(language):
            return respond(request, language)

    def respond(request, language):
        known = declared_params(request)
        if known is None:
            return get_response(request)
        unknown = set(request.GET) - known
        if unknown:
            return unknown_parameter_response(request, unknown, known)
        revision = request.content_revision = current_revision()
        etag = page_etag(revision, language)
        response = get_conditional_response(request, etag=etag)
        if response is not None:
            return response
        key = page_key(request, revision, known, language)
        pages = caches["pages"]
        response = pages.get(key)
        if response is None:
            response = get_response(request)
            if keepable(response):
                pages.set(key, response, PAGE_TIMEOUT)
        if response.status_code == 200:
            response.headers.setdefault("ETag", etag)
        # Browsers and proxies check back each time: the ETag makes that a cheap 304.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return middleware


def declared_params(request):
    """The parameters of the public page the request asks for, or None when it asks for no such page."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    params = getattr(match.func, "page_params", None)
    if params is None:
        return None
    return frozenset(params() if callable(params) else params)


def keepable(response):
    """Only a whole page that is the same for everyone, and not too big: no error, no stream, no cookie."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= PAGE_SIZE_LIMIT
    )


def render_at(revision, view, request, *args, **kwargs):
    """The view's response, rendered with what per_revision keeps for this revision."""
    revision_token, values_token = request_revision.set(revision), request_values.set({})
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request_revision.reset(revision_token)
        request_values.reset(values_token)
    return response
