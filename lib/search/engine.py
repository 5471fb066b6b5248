"""Matching and ranking on the index table: PostgreSQL's tsvector and GIN, or SQLite's FTS5."""

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from lib.search.query import Query, parse
from lib.search.registry import KINDS, kind_of

INDEX_MODEL = "gfmd.SearchDocument"
CONFIG = "english"
# The searched columns, best first: their PostgreSQL weight and their SQLite bm25 weight.
COLUMNS = (("names", "A", 10.0), ("title", "B", 4.0), ("body", "C", 1.0))
FTS_TABLE = "gfmd_search_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


def on_postgresql():
    return connection.vendor == "postgresql"


def index_model():
    return apps.get_model(INDEX_MODEL)


def vectors_of(documents):
    """The weighted vectors (names A, title B, body C) of documents not yet written, in one query.

    Computed before the INSERT, as text: an UPDATE afterwards would leave a dead copy of every row.
    """
    weighted = " || ".join(
        f"setweight(to_tsvector(%s::regconfig, coalesce(x.{column}, '')), '{weight}')" for column, weight, _ in COLUMNS
    )
    columns = [column for column, _, _ in COLUMNS]
    arrays = ", ".join(["%s::text[]"] * len(columns))
    sql = f"SELECT ({weighted})::text FROM unnest({arrays}) WITH ORDINALITY AS x({', '.join(columns)}, n) ORDER BY n"
    params = [CONFIG] * len(columns) + [[getattr(d, column) for d in documents] for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def tsquery(query):
    return SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)


def matching(query):
    """A condition on the index model: the documents matching the query."""
    if query.empty:
        return Q(pk__in=[])
    if on_postgresql():
        return Q(vector=tsquery(query))
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (query.fts5(),)))


def filter_documents(queryset, q):
    """Documents of the index matching q."""
    return queryset.filter(matching(q if isinstance(q, Query) else parse(q)))


def filter_queryset(queryset, q):
    """Records of a registered kind matching q, in the queryset's own order (the lists' search box)."""
    query = q if isinstance(q, Query) else parse(q)
    kind = kind_of(queryset.model)
    documents = index_model().objects.filter(kind=kind).filter(matching(query)).values("object_id")
    return queryset.filter(pk__in=documents)


def ranked(queryset, q):
    """Matching documents, best first: entities the query names, then by rank.

    An entity is named when the query matches its names alone ("IOM",
    "Mauritius"). Each document carries `rank`, `named` and `search_query`
    (for its snippet).
    """
    query = q if isinstance(q, Query) else parse(q)
    queryset = queryset.annotate(search_query=Value(query.websearch(), output_field=CharField()))
    if query.empty:
        return queryset.none()
    table = queryset.model._meta.db_table
    # Only entities have names: records skip the check.
    entity_kinds = [kind.name for kind in KINDS.values() if kind.priority]
    entities = ", ".join(["%s"] * len(entity_kinds))
    if on_postgresql():
        ts = tsquery(query)
        queryset = queryset.filter(matching(query)).annotate(
            rank=SearchRank(F("vector"), ts),
            named=RawSQL(
                f'"{table}"."kind" IN ({entities}) '
                f'AND ts_filter("{table}"."vector", \'{{a}}\') @@ websearch_to_tsquery(%s::regconfig, %s)',
                (*entity_kinds, CONFIG, query.websearch()),
                output_field=BooleanField(),
            ),
        )
    else:
        weights = ", ".join(str(weight) for _, _, weight in COLUMNS)
        # bm25() exists only in a query that joins the FTS5 table and matches on it: the ORM has
        # no join to a table without a model, so extra() adds it. The join is the match.
        queryset = queryset.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
            params=[query.fts5()],
            select={
                # bm25 is lower for better matches.
                "rank": f"-bm25({FTS_TABLE}, {weights})",
                "named": f"{table}.kind IN ({entities}) "
                f"AND {table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            },
            select_params=[*entity_kinds, query.fts5(column="names")],
        )
    priority = Case(
        *(When(kind=kind.name, then=Value(kind.priority)) for kind in KINDS.values() if kind.priority),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(priority=priority).order_by("-named", "-priority", "-rank", "pk")


def fts_create_sql():
    columns = ", ".join(column for column, _, _ in COLUMNS)
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, tokenize='{FTS_TOKENIZER}')"
