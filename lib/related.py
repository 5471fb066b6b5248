"""Records related by their wording: each record's nearest records of other meetings or tracks, computed offline.

Each record of a kind registered `related=True` (sessions, recommendations, activities) is a TF-IDF vector
of its own words, its search document's `wording` (no tags, no editorial notes): words of three
letters or more, stemmed as the search stems them, without English stop words and without the terms of more than
MAX_SHARE of the records (the words every record of the Forum uses). Two records'
score is the cosine of their vectors. A record's list holds the KEPT highest scores among records of another
place (another meeting, another track of its meeting, another event), each with the SHARED_TERMS words that
weigh most in both; its page shows SHOWN. The computation is in lib/wording.py.

Nothing is computed per request. `rebuild` computes every list (`manage.py rebuild_related`). The write path
(`lib.caching.content_changed`) calls `update` with the documents it rewrote: the changed records are compared
with every record's stored vector (WordingVector), their lists written again, and so are the lists they enter
(their score passes the list's lowest, its `floor`) or were in. What an update leaves stale: the vocabulary and
its weights are the last rebuild's (a word no record had then counts for nothing), and a list a changed record
leaves keeps one fewer until a rebuild. `update` rebuilds everything itself when the records have grown by more
than a quarter since the last rebuild, or when a write touches more than a quarter of them.
"""

from django.db.models import OuterRef, Subquery

from lib.models import configured_model
from lib.search.engine import index_model
from lib.search.registry import KINDS, kind_of, record_kind_label

SHOWN = 5


def rebuild(stdout=None):
    from lib import wording

    return wording.rebuild(stdout)


def clear():
    """Every list, vector and the vocabulary gone, straight in SQL: with the search index they derive from."""
    for setting in ("RELATED_RECORD_MODEL", "WORDING_VECTOR_MODEL", "WORDING_VOCABULARY_MODEL"):
        model = configured_model(setting)
        model.objects.all()._raw_delete(model.objects.db)


def update(targets):
    """Called by the write path with the (kind, id) of the search documents it rewrote, after rewriting them."""
    if any(kind in KINDS and KINDS[kind].related for kind, _ in targets):
        from lib import wording

        wording.update(targets)


class Shown:
    """A related record as a page shows it."""

    def __init__(self, row):
        self.url, self.label, self.wording = row.url, row.label, row.wording
        self.kind_label = record_kind_label(row.record_kind) if row.record_kind else KINDS[row.related_kind].label
        # A record of the same meeting is there as one of its other track: say which.
        same_meeting = row.track and row.meeting_label == row.own_meeting_label
        track = index_model()(track=row.track).track_label if same_meeting else ""
        self.place = ", ".join(part for part in (row.meeting_label, track) if part)
        self.terms = row.terms.split(", ") if row.terms else []


def shown_for(record):
    """The SHOWN records related to a record, with what their search documents say of them: one query."""
    kind, pk = kind_of(type(record)), record.pk
    document = index_model().objects.filter(kind=OuterRef("related_kind"), object_id=OuterRef("related_object_id"))
    rows = (
        configured_model("RELATED_RECORD_MODEL")
        .objects.filter(kind=kind, object_id=pk, rank__lte=SHOWN)
        .annotate(
            url=Subquery(document.values("url")[:1]),
            label=Subquery(document.values("label")[:1]),
            meeting_label=Subquery(document.values("meeting_label")[:1]),
            record_kind=Subquery(document.values("record_kind")[:1]),
            track=Subquery(document.values("track")[:1]),
            wording=Subquery(document.values("wording")[:1]),
            own_meeting_label=Subquery(
                index_model().objects.filter(kind=kind, object_id=pk).values("meeting_label")[:1]
            ),
        )
        .order_by("rank")
    )
    return [Shown(row) for row in rows if row.url]
