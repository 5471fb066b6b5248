"""Full-text matching shared by the lists and the site search.

PostgreSQL: English stemming, web-style syntax ("quoted phrase", or, -word),
titles weighted above bodies, ranked, with highlighted snippets.
SQLite: every word must appear in one of the fields, case-insensitively;
ranked by how many words the title holds.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.utils.html import escape

CONFIG = "english"
MAX_QUERY_LENGTH = 200
# PostgreSQL marks matches in unescaped text; these stand in for <mark> until the text is escaped.
MARK_START, MARK_STOP = "\u27e6", "\u27e7"


def on_postgresql():
    return connection.vendor == "postgresql"


def clean_query(q):
    """The query as typed, trimmed; control characters dropped."""
    q = "".join(ch for ch in (q or "") if ch.isprintable())
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


def words(q):
    """Plain words for the simple matcher: quotes, operators and -exclusions handled loosely."""
    include, exclude = [], []
    for token in re.findall(r'-?"[^"]+"|\S+', q):
        negative = token.startswith("-") and len(token) > 1
        token = token.lstrip("-").strip('"')
        if not token or token.lower() == "or":
            continue
        (exclude if negative else include).append(token)
    return include, exclude


def document(model):
    """The weighted text of a record: its SEARCH_TITLE_FIELDS above its SEARCH_BODY_FIELDS.

    Each model's GIN index is built on exactly this expression, so the
    queries below can use it.
    """
    return search_vector(model.SEARCH_TITLE_FIELDS, model.SEARCH_BODY_FIELDS)


def search_vector(title_fields, body_fields):
    vector = None
    for fields, weight in ((title_fields, "A"), (body_fields, "B")):
        for field in fields:
            part = SearchVector(field, weight=weight, config=CONFIG)
            vector = part if vector is None else vector + part
    return vector


def filter_queryset(queryset, q, *, related_fields=()):
    """Records matching q, in the queryset's own order.

    related_fields are texts of related rows (an activity's objectives) that
    also make a record match.
    """
    q = clean_query(q)
    if not q:
        return queryset
    model = queryset.model
    own_fields = list(model.SEARCH_TITLE_FIELDS) + list(model.SEARCH_BODY_FIELDS)
    if on_postgresql():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        condition = Q(
            pk__in=model._default_manager.annotate(search_document=document(model))
            .filter(search_document=query)
            .values("pk")
        )
        for field in related_fields:
            related = model._default_manager.annotate(related_document=SearchVector(field, config=CONFIG))
            condition |= Q(pk__in=related.filter(related_document=query).values("pk"))
        return queryset.filter(condition)
    include, exclude = words(q)
    matches = model._default_manager.all()
    for word in include:
        matches = matches.filter(any_field_contains(own_fields + list(related_fields), word))
    for word in exclude:
        matches = matches.exclude(any_field_contains(own_fields + list(related_fields), word))
    # A subquery, so that fields across relations cannot repeat rows of the list.
    return queryset.filter(pk__in=matches.values("pk"))


def any_field_contains(fields, word):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition


def ranked(queryset, q, *, snippet_field, limit=50):
    """The best `limit` matching records, annotated with rank and a snippet, best first."""
    q = clean_query(q)
    if on_postgresql():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        vector = document(queryset.model)
        # Rank every match on the index, but highlight only the best: a headline reads the whole text.
        best = (
            queryset.model._default_manager.annotate(search_document=vector, rank=SearchRank(vector, query))
            .filter(search_document=query)
            .order_by("-rank")
            .values("pk")[:limit]
        )
        return (
            queryset.filter(pk__in=best)
            .annotate(
                rank=SearchRank(vector, query),
                snippet=SearchHeadline(
                    snippet_field,
                    query,
                    config=CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                ),
            )
            .order_by("-rank")
        )
    matches = filter_queryset(queryset, q)
    # SQLite ranks in Python (gfmd.views), so every match comes back.
    return matches.annotate(rank=Value(0.0, output_field=FloatField()), snippet=F(snippet_field))


def safe_headline(snippet):
    """PostgreSQL's headline, escaped, with its markers turned into <mark>."""
    return escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")


def simple_rank(text, q):
    """How many of the query's words the text holds, for SQLite's ranking."""
    include, _ = words(clean_query(q))
    lowered = text.lower()
    return sum(1 for word in include if word.lower() in lowered)


def highlight(text, q, length=240):
    """An escaped excerpt around the first match, with <mark> around matched words (SQLite)."""
    include, _ = words(clean_query(q))
    lowered = text.lower()
    starts = [lowered.find(w.lower()) for w in include if w.lower() in lowered]
    start = max(0, min(starts, default=0) - 60)
    excerpt = text[start : start + length]
    excerpt = ("…" if start else "") + excerpt + ("…" if start + length < len(text) else "")
    escaped = escape(excerpt)
    for word in sorted(include, key=len, reverse=True):
        escaped = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", escaped, flags=re.IGNORECASE)
    return escaped
