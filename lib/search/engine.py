"""Matching and ranking on the index table: PostgreSQL's tsvector and GIN, or SQLite's FTS5."""

import json
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, FloatField, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from lib.models import configured_model
from lib.search.query import Query, parse
from lib.search.registry import KINDS, kind_of

CONFIG = "english"
# The searched columns, best first: their PostgreSQL weight and their SQLite bm25 weight.
COLUMNS = (("names", "A", 10.0), ("title", "B", 4.0), ("body", "C", 1.0))
FTS_TABLE = "gfmd_search_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


def on_postgresql():
    return connection.vendor == "postgresql"


def index_model():
    """The index table: one search document per record."""
    return configured_model("SEARCH_DOCUMENT_MODEL")


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


def joined_documents(queryset, q):
    """Documents of the index matching q, for an outermost query only (not a subquery).

    On SQLite, joined with the FTS5 table: each match's row is read once, where
    `id IN (matches)` would first build the set of every match, a cost of its own
    when a common word matches thousands. The join is the match; it names the
    table, which a subquery would know by another alias.
    """
    query = q if isinstance(q, Query) else parse(q)
    if query.empty or on_postgresql():
        return queryset.filter(matching(query))
    table = queryset.model._meta.db_table
    # The ORM has no join to a table without a model: extra() adds it.
    return queryset.extra(
        tables=[FTS_TABLE], where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"], params=[query.fts5()]
    )


def matching_ids(q):
    """The ids of the documents matching q, in one query: on SQLite read from the FTS5 table alone."""
    query = q if isinstance(q, Query) else parse(q)
    if query.empty:
        return []
    if on_postgresql():
        table = index_model()._meta.db_table
        sql = f"SELECT id FROM {table} WHERE vector @@ websearch_to_tsquery(%s::regconfig, %s)"
        with through_the_text_index():
            return read_ids(sql, (CONFIG, query.websearch()))
    return read_ids(f"SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (query.fts5(),))


@contextmanager
def through_the_text_index():
    """PostgreSQL's queries within: the documents a query matches found through the text index, never by
    reading the whole table.

    For a word half the documents hold, the planner prices the two alike, as it counts testing a document's
    vector as cheap as comparing two numbers; the index, which never tests a document it did not find, takes a
    third of the time (8 against 21 ms for "migration", 17,649 of 30,487 documents at 100 times the content).
    Every query that reaches the database holds a word to look up (Query.empty), so the index always applies.
    The setting lasts for the transaction, or up to the reset where this runs inside one of the caller's.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


def read_ids(sql, params):
    """The integers of the one column of a query's rows, read as a single value that aggregates them.

    A broad word matches thousands: a row each costs the database and the driver
    more than one array (PostgreSQL) or one JSON array (SQLite, read by the json
    module at C speed).
    """
    aggregate = "array_agg" if on_postgresql() else "json_group_array"
    sql = f"WITH found(id) AS ({sql}) SELECT {aggregate}(id) FROM found"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (ids,) = cursor.fetchone()
    if ids is None:
        return []
    return ids if isinstance(ids, list) else json.loads(ids)


def filter_queryset(queryset, q):
    """Records of a registered kind matching q, in the queryset's own order (the lists' search box)."""
    return queryset.filter(pk__in=matching_records(queryset.model, q))


def matching_pks(model, q):
    """The set of pks of the model's records (a registered kind) matching q, in one query.

    For counting a list's facets in Python (a bitset of them in lib.facet_index), or
    anything else that needs the matches themselves rather than a condition: one
    query of the index table, without the records' own table.
    """
    query = q if isinstance(q, Query) else parse(q)
    if query.empty:
        return set()
    records = matching_records(model, query)
    return set(read_ids(records.sql, records.params))


def matching_records(model, q):
    """The pks of the model's records matching q, as a subquery.

    On SQLite a join of the FTS5 table with the documents, which reads each match's
    document once (`id IN (matches)` would first build the set of every match). Written
    as SQL: the ORM would cost more to build and compile it than the database to run it.
    """
    query = q if isinstance(q, Query) else parse(q)
    kind = kind_of(model)
    Document = index_model()
    if query.empty:
        return Document.objects.none().values_list("object_id", flat=True)
    table = Document._meta.db_table
    if on_postgresql():
        return RawSQL(
            f"SELECT object_id FROM {table} WHERE kind = %s AND vector @@ websearch_to_tsquery(%s::regconfig, %s)",
            (kind, CONFIG, query.websearch()),
        )
    return RawSQL(
        f"SELECT {table}.object_id FROM {FTS_TABLE} JOIN {table} ON {table}.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {table}.kind = %s",
        (query.fts5(), kind),
    )


def entity_kinds():
    """The kinds that can be named by a query (meetings, agencies...): few, and ranked above every record."""
    return [kind.name for kind in KINDS.values() if kind.priority]


def ranked(queryset, q, *, kinds=None):
    """The documents of queryset matching q, best first: entities the query names, then by rank.

    It matches the words itself: give it documents not yet matched. An entity
    is named when the query matches its names alone ("IOM", "Mauritius"). Each
    document carries `rank`, `named` and `search_query` (for its snippet). A
    page of it is read in one query (RankedDocuments).
    `kinds`: the kinds the queryset is limited to, if it is; a page of records
    alone is then read in one step.
    """
    query = q if isinstance(q, Query) else parse(q)
    queryset = queryset.annotate(search_query=Value(query.websearch(), output_field=CharField()))
    if query.empty:
        return RankedDocuments.of(queryset.none())
    # Only entities have names: records skip the check.
    named_kinds = entity_kinds()
    rank = ranked_on_postgresql if on_postgresql() else ranked_on_sqlite
    queryset = rank(joined_documents(queryset, query), query, named_kinds)
    documents = RankedDocuments.of(queryset.order_by("-named", "-priority", "-rank", "pk"))
    documents.has_entities = kinds is None or any(kind in named_kinds for kind in kinds)
    return documents


def ranked_on_postgresql(queryset, query, named_kinds):
    """The matched documents with their rank (ts_rank), whether the query names them, and their priority."""
    table = queryset.model._meta.db_table
    entities = ", ".join(["%s"] * len(named_kinds))
    ts = "websearch_to_tsquery(%s::regconfig, %s)"
    ts_params = (CONFIG, query.websearch())
    # Raw expressions: the ORM's SearchRank and Case cost more to build and compile than the query to run.
    return queryset.annotate(
        rank=RawSQL(f'ts_rank("{table}"."vector", {ts})', ts_params, output_field=FloatField()),
        named=RawSQL(
            f'"{table}"."kind" IN ({entities}) AND ts_filter("{table}"."vector", \'{{a}}\') @@ {ts}',
            (*named_kinds, *ts_params),
            output_field=BooleanField(),
        ),
        priority=priority_of(table),
    )


def ranked_on_sqlite(queryset, query, named_kinds):
    """The matched documents with their rank (bm25), whether the query names them, and their priority.

    bm25() exists only in a query that joins the FTS5 table and matches on it, as joined_documents does.
    """
    table = queryset.model._meta.db_table
    entities = ", ".join(["%s"] * len(named_kinds))
    weights = ", ".join(str(weight) for _, _, weight in COLUMNS)
    return queryset.extra(
        select={
            # bm25 is lower for better matches.
            "rank": f"-bm25({FTS_TABLE}, {weights})",
            "named": f"{table}.kind IN ({entities}) "
            f"AND {table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
        },
        select_params=[*named_kinds, query.fts5(column="names")],
    ).annotate(priority=priority_of(table))


def priority_of(table):
    """A document's priority among entities the query names: its kind's, 0 for records."""
    kinds = [kind for kind in KINDS.values() if kind.priority]
    cases = " ".join("WHEN %s THEN %s" for _ in kinds)
    params = [value for kind in kinds for value in (kind.name, kind.priority)]
    return RawSQL(f'CASE "{table}"."kind" {cases} ELSE 0 END', params, output_field=IntegerField())


class RankedDocuments(QuerySet):
    """Ranked documents whose pages are read in one query each, in the same order as the whole.

    The order (named, priority, rank) puts every matching entity before every
    record, since only entities are named or have a priority. Entities are
    few (a meeting per year, the agencies, the themes): where the caller
    knows how many match (`known_entities`), a page that lies within them
    ranks them alone, and a page past them ranks the records by rank alone,
    never giving the thousands of records a common word matches a name check
    or a priority. The page that holds both, and anything else (counting, the
    CSV's whole list), reads the one ordered query.
    """

    # A function giving the number of documents, where the caller counts them in a pass of its own.
    known_count = None
    # A function giving the number of entities among them, likewise: which part of the order a page lies in.
    known_entities = None
    # Whether entities can be among them (the kinds asked for may be records only).
    has_entities = True

    @classmethod
    def of(cls, queryset):
        return cls(model=queryset.model, query=queryset.query.chain(), using=queryset._db, hints=queryset._hints)

    def __getitem__(self, k):
        if isinstance(k, slice) and k.stop is not None and not k.step and self._result_cache is None:
            return self.page(k.start or 0, k.stop)
        return super().__getitem__(k)

    def count(self):
        if self.known_count is not None and self._result_cache is None:
            return self.known_count()
        return super().count()

    def page(self, start, stop):
        """The documents from `start` to `stop` in rank order, as a list, in one query whatever they are."""
        if not self.has_entities:
            return list(self.records_by_rank()[start:stop])
        entities = self.known_entities() if self.known_entities is not None else None
        if entities is not None and stop <= entities:
            return list(self.plain().filter(entity_condition(self.model))[start:stop])
        if entities is not None and entities <= start:
            return list(self.records_only()[start - entities : stop - entities])
        # Entities and records (or not known): every match is ranked, as the records on the page must be
        # ranked among all records anyway; for a record the name check and the priority stop at its kind.
        return list(self.plain()[start:stop])

    def records_only(self):
        """The documents of records, in the order of the whole."""
        return self.records_by_rank().exclude(kind__in=entity_kinds())

    def records_by_rank(self):
        """The documents in the order of the whole for records: by rank alone, since a record is never named
        and has no priority, so that the sort compares one value for each of thousands of matches."""
        return self.plain().order_by("-rank", "pk")

    def plain(self):
        return QuerySet(model=self.model, query=self.query.chain(), using=self._db, hints=self._hints)


def entity_condition(model):
    """Documents of entities. On SQLite, as a set of ids the FTS5 rows are checked against before any
    document is read; on PostgreSQL, a condition its planner combines with the text index."""
    kinds = entity_kinds()
    if on_postgresql():
        return Q(kind__in=kinds)
    return Q(pk__in=model._default_manager.filter(kind__in=kinds).values("pk"))


def fts_create_sql():
    columns = ", ".join(column for column, _, _ in COLUMNS)
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, tokenize='{FTS_TOKENIZER}')"
