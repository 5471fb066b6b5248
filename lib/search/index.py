"""Keeping the index in step with the records: on every change, in batches, or rebuilt whole."""

import contextvars
from contextlib import contextmanager

from django.db import connection, transaction

from lib.caching import content_changed
from lib.search.engine import FTS_TABLE, index_model, on_postgresql, vectors_of
from lib.search.registry import DEPENDENTS, KINDS

_pending = contextvars.ContextVar("search_pending", default=None)


def record_changed(sender, **kwargs):
    """A signal receiver (post_save, post_delete, m2m_changed): update the documents the change touches."""
    if "action" in kwargs:
        if not kwargs["action"].startswith("post_"):
            return
        if kwargs.get("reverse"):
            model, pks = kwargs["model"], kwargs.get("pk_set") or ()
            instances = list(model._default_manager.filter(pk__in=pks)) if model._meta.label in touched() else []
        else:
            instances = [kwargs["instance"]]
    else:
        instances = [kwargs["instance"]]
    targets = set()
    for instance in instances:
        targets |= documents_of(instance)
    if not targets:
        return
    pending = _pending.get()
    if pending is not None:
        pending |= targets
    else:
        update(targets)


def touched():
    return {kind.model for kind in KINDS.values()} | set(DEPENDENTS)


def documents_of(instance):
    label = instance._meta.label
    targets = {(kind.name, instance.pk) for kind in KINDS.values() if kind.model == label and instance.pk}
    if label in DEPENDENTS:
        targets |= {(kind, pk) for kind, pk in DEPENDENTS[label](instance) if pk}
    return targets


@contextmanager
def batched():
    """Collect the documents to update while the block runs, and update each once at its end."""
    if _pending.get() is not None:
        yield
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    update(pending)


def update(targets):
    """Rewrite the documents of these (kind, pk): built again from the records, or removed with them."""
    by_kind = {}
    for kind, pk in targets:
        by_kind.setdefault(kind, set()).add(pk)
    for name, pks in by_kind.items():
        for chunk in chunks(sorted(pks), 500):
            write(name, chunk, KINDS[name].queryset().filter(pk__in=chunk), replace=True)


def clear():
    """Empty the index, straight in SQL: for a database whose content was removed without signals."""
    Document = index_model()
    Document.themes.through.objects.all()._raw_delete(Document.objects.db)
    Document.objects.all()._raw_delete(Document.objects.db)
    if not on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")


def rebuild(stdout=None):
    """Every document built again from the records: after bulk writes that sent no signals."""
    with transaction.atomic():
        clear()
        total = 0
        for name, kind in KINDS.items():
            pks = list(kind.queryset().order_by("pk").values_list("pk", flat=True))
            for chunk in chunks(pks, 500):
                write(name, chunk, kind.queryset().filter(pk__in=chunk), replace=False)
            total += len(pks)
            if stdout:
                stdout.write(f"  {kind.plural}: {len(pks)}")
        # Every document has a new id: what was kept for the revision (pages, the facets' index) is stale.
        content_changed()
    return total


def vacuum():
    """After a rebuild on PostgreSQL: reclaim the rows it replaced and give the planner fresh statistics."""
    if on_postgresql() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {index_model()._meta.db_table}")


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write(name, pks, records, *, replace):
    Document = index_model()
    Through = Document.themes.through
    kind = KINDS[name]
    with transaction.atomic():
        if replace:
            old = list(Document.objects.filter(kind=name, object_id__in=pks).values_list("pk", flat=True))
            if old:
                Through.objects.filter(searchdocument_id__in=old)._raw_delete(Document.objects.db)
                Document.objects.filter(pk__in=old)._raw_delete(Document.objects.db)
                fts_delete(old)
        documents, themes = [], []
        for record in records:
            values = kind.build(record)
            themes.append(values.pop("themes", ()))
            documents.append(Document(kind=name, object_id=record.pk, **values))
        if not documents:
            return
        if on_postgresql():
            for document, weighted in zip(documents, vectors_of(documents), strict=True):
                document.vector = weighted
        Document.objects.bulk_create(documents)
        Through.objects.bulk_create(
            [
                Through(searchdocument_id=document.pk, theme_id=theme)
                for document, theme_pks in zip(documents, themes, strict=True)
                for theme in theme_pks
            ]
        )
        new = [document.pk for document in documents]
        if not on_postgresql():
            # An FTS5 row left by a table emptied without this module (a test's flush) must not shadow a new one.
            fts_delete(new)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, names, title, body) VALUES (%s, %s, %s, %s)",
                    [(d.pk, d.names, d.title, d.body) for d in documents],
                )


def fts_delete(pks):
    if on_postgresql() or not pks:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(pks))})", list(pks))
