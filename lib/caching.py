"""Public pages are cached whole, keyed by the content revision, and answer conditional GETs.

Any save, deletion or change of links in the content bumps the revision, so a
cached page can never outlive the data it shows: an editor's correction is
public on the next request, on every app server.
"""

import hashlib
import threading
from contextlib import contextmanager
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

PAGE_TIMEOUT = 60 * 60 * 24


def revision_model():
    """The project's ContentRevision, named by its label so that this module imports no app."""
    return apps.get_model("gfmd", "ContentRevision")


def current_revision():
    return revision_model().objects.filter(pk=1).values_list("number", flat=True).first() or 0


_deferred = threading.local()


@contextmanager
def one_revision():
    """Bump the revision once, at the end, for all the saves made inside (in this thread only); not at all
    if nothing changed.

    A long write such as load_gfmd would otherwise update the revision row at every save
    and hold its lock from the first one, making every editor's save wait for it.
    """
    outermost = not getattr(_deferred, "active", 0)
    if outermost:
        _deferred.changed = False
    _deferred.active = getattr(_deferred, "active", 0) + 1
    try:
        yield
    finally:
        _deferred.active -= 1
        if outermost and _deferred.changed:
            content_changed()


def content_changed(**kwargs):
    """Bump the revision; a fresh database gets its first row here."""
    if getattr(_deferred, "active", 0):
        _deferred.changed = True
        return
    if revision_model().objects.filter(pk=1).update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            revision_model().objects.create(pk=1, number=1)
    except IntegrityError:
        revision_model().objects.filter(pk=1).update(number=F("number") + 1)


# Other receivers of every content change (the search index), called after the revision is bumped.
LISTENERS = []


def changed(sender, **kwargs):
    content_changed()
    for listener in LISTENERS:
        listener(sender=sender, **kwargs)


def watch(models, *, also=()):
    """Bump the revision whenever one of these models, or its many-to-many links, change; and call `also`.

    One registration for everything derived from the content, so that no
    save can update one and not the other.
    """
    LISTENERS.extend(listener for listener in also if listener not in LISTENERS)
    for model in models:
        post_save.connect(changed, sender=model, dispatch_uid=f"revision-save-{model._meta.label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"revision-delete-{model._meta.label}")
        for field in model._meta.many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None:
                m2m_changed.connect(changed, sender=through, dispatch_uid=f"revision-m2m-{through._meta.label}")


def etag(request, *args, **kwargs):
    request.content_revision = current_revision()
    return f"r{request.content_revision}"


def cached_page(view):
    """Serve the page from the cache while the content is unchanged; answer 304 to a matching ETag."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        revision = getattr(request, "content_revision", None)
        if revision is None:
            revision = current_revision()
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{revision}:{request.get_host()}:{path}"
        stored = cache.get(key)
        if stored is not None:
            response = stored
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                cache.set(key, response, PAGE_TIMEOUT)
        # Browsers and proxies check back each time: the ETag makes that a cheap 304.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return condition(etag_func=etag)(cached)
