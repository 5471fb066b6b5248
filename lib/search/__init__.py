"""Full-text search over one document per record, on PostgreSQL and on SQLite.

Every searchable record (a session, a recommendation with its sub-points, an
activity with its sub-activities and objectives, and the meetings, agencies,
themes and sources) has one row in the index table `gfmd.SearchDocument`:
what it is, where it belongs (year, meeting, track, roundtable, kind, stage)
and its text in three columns, weighted in this order:

    names   what names an entity: an agency's acronym and name, a meeting's city, country and year
    title   a record's title or heading
    body    its text and the text of the rows that belong to it

A query reads that one table, whatever the record, so its cost does not grow
with joins per word.

PostgreSQL: a stored, weighted `tsvector` column (`english` configuration)
with a GIN index of the kind and the vector, matched with `websearch_to_tsquery`, ranked with `ts_rank`.
SQLite: an FTS5 table of the same three columns with the Porter stemmer,
matched with FTS5 queries, ranked with `bm25`.

Both read the same parsed query (`parse`): words, "quoted phrases", `or`
between alternatives and `-word` to leave a word out; at most MAX_TERMS words,
repeated words once. Highlighting is our own, in one pass over the text, on
both databases.

The index is kept in step by the write path, `lib.caching.content_changed`,
which rewrites the documents of the records a write touches (`documents_of`,
`update`) in the transaction that writes them; writes that bypass it (SQL, a
restore, bulk inserts) call `rebuild`. What each kind of record puts in its document is declared by
the apps (`register`, `depends`), so that this module imports no app.
"""

from lib.search.engine import (
    COLUMNS,
    CONFIG,
    FTS_TABLE,
    FTS_TOKENIZER,
    entity_kinds,
    filter_documents,
    filter_queryset,
    fts_create_sql,
    index_model,
    joined_documents,
    matching,
    matching_ids,
    matching_pks,
    matching_records,
    on_postgresql,
    ranked,
)
from lib.search.highlight import SNIPPET_MAX_CHARS, SNIPPET_WORDS, WORD_MAX_CHARS, snippet, stem
from lib.search.index import clear, documents_of, rebuild, update, vacuum
from lib.search.query import MAX_QUERY_LENGTH, MAX_TERMS, STOP_WORDS, Query, clean_query, parse
from lib.search.registry import (
    DEPENDENTS,
    KINDS,
    Kind,
    depends,
    kind_choices,
    kind_of,
    record_kind_choices,
    record_kind_label,
    register,
)

__all__ = [
    "COLUMNS",
    "CONFIG",
    "DEPENDENTS",
    "FTS_TABLE",
    "FTS_TOKENIZER",
    "KINDS",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SNIPPET_MAX_CHARS",
    "SNIPPET_WORDS",
    "STOP_WORDS",
    "WORD_MAX_CHARS",
    "Kind",
    "Query",
    "clean_query",
    "clear",
    "depends",
    "documents_of",
    "entity_kinds",
    "filter_documents",
    "filter_queryset",
    "fts_create_sql",
    "index_model",
    "joined_documents",
    "kind_choices",
    "kind_of",
    "matching",
    "matching_ids",
    "matching_pks",
    "matching_records",
    "on_postgresql",
    "parse",
    "ranked",
    "rebuild",
    "record_kind_choices",
    "record_kind_label",
    "register",
    "snippet",
    "stem",
    "update",
    "vacuum",
]
