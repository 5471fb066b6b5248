"""Keeping the index in step with the records: the documents a write touches (`lib.caching.content_changed`), or all."""

from django.db import connection, transaction

from lib.search.engine import FTS_TABLE, index_model, on_postgresql, vectors_of
from lib.search.registry import DEPENDENTS, KINDS
from lib.vocabulary import english


def documents_of(records):
    """The (kind, pk) of the documents that show something of these records: their own, and their dependents'.

    Read while the records are in the database: a deleted record has lost its key.
    """
    targets = set()
    for record in records:
        if record.pk is None:
            continue
        label = record._meta.label
        targets |= {(kind.name, record.pk) for kind in KINDS.values() if kind.model == label}
        if label in DEPENDENTS:
            targets |= {(kind, pk) for kind, pk in DEPENDENTS[label](record) if pk}
    return targets


def update(targets):
    """Rewrite the documents of these (kind, pk): built again from the records, or removed with them."""
    by_kind = {}
    for kind, pk in targets:
        by_kind.setdefault(kind, set()).add(pk)
    for name, pks in by_kind.items():
        for chunk in chunks(sorted(pks), 500):
            write(name, chunk, KINDS[name].queryset().filter(pk__in=chunk), replace=True)


def clear():
    """Empty the index, straight in SQL: for a database whose content was removed the same way."""
    Document = index_model()
    Document.themes.through.objects.all()._raw_delete(Document.objects.db)
    Document.objects.all()._raw_delete(Document.objects.db)
    if not on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")


def rebuild(stdout=None):
    """Every document built again from the records, after writes that bypassed `content_changed` (SQL, a restore).

    Every document gets a new id, so what was derived for the revision (pages, the facets' index) is stale:
    the caller commits this with `content_changed()`.
    """
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
        # The documents hold the English (a result's label, a meeting's name), whatever the editor's language.
        with english():
            built = [(record.pk, kind.build(record)) for record in records]
        for pk, values in built:
            themes.append(values.pop("themes", ()))
            documents.append(Document(kind=name, object_id=pk, **values))
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
