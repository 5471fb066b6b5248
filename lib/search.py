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
with a GIN index, matched with `websearch_to_tsquery`, ranked with `ts_rank`.
SQLite: an FTS5 table of the same three columns with the Porter stemmer,
matched with FTS5 queries, ranked with `bm25`.

Both read the same parsed query (`parse`): words, "quoted phrases", `or`
between alternatives and `-word` to leave a word out; at most MAX_TERMS words,
repeated words once. Highlighting is our own, in one pass over the text, on
both databases.

The index is kept in step by `record_changed`, which the caching's signal
receivers call for every save, deletion and change of links of a content
model (`lib.caching.watch`); bulk writers call `rebuild` or wrap their writes
in `batched()`. What each kind of record puts in its document is declared by
the apps (`register`, `depends`), so that this module imports no app.
"""

import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape

INDEX_MODEL = "gfmd.SearchDocument"
CONFIG = "english"
# The searched columns, best first: their PostgreSQL weight and their SQLite bm25 weight.
COLUMNS = (("names", "A", 10.0), ("title", "B", 4.0), ("body", "C", 1.0))
FTS_TABLE = "gfmd_search_fts"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

MAX_QUERY_LENGTH = 200
# Words searched for at most, counting each word of a phrase; the rest are left out, with a notice.
MAX_TERMS = 12
SNIPPET_WORDS = 30
SNIPPET_MAX_CHARS = 320
WORD_MAX_CHARS = 40

# A word: letters and digits. Hyphens, apostrophes and underscores separate words, as both engines' parsers do.
WORD = re.compile(r"[^\W_]+")
QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# PostgreSQL's English stop words (snowball): its parser drops them, and so does the query on SQLite.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up down in out on off
    over under again further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()
)


# -- the query -------------------------------------------------------------


@dataclass
class Query:
    """A query as both engines read it: AND of groups, each an OR of phrases (tuples of words)."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def empty(self):
        return not self.groups

    def websearch(self):
        """The query in websearch_to_tsquery's syntax; words hold only letters and digits."""
        parts = [" or ".join(phrase_text(p) for p in group) for group in self.groups]
        parts += [f"-{phrase_text(p)}" for p in self.excluded]
        return " ".join(parts)

    def fts5(self, column=None):
        """The query as an FTS5 expression; with `column`, the positive part within that column only."""
        positive = " AND ".join("(" + " OR ".join(f'"{" ".join(p)}"' for p in group) + ")" for group in self.groups)
        if column:
            return f"{{{column}}} : ({positive})"
        return positive + "".join(f' NOT "{" ".join(p)}"' for p in self.excluded)

    def stems(self):
        """The stems to highlight: every word of the positive phrases."""
        return {stem(word) for group in self.groups for phrase in group for word in phrase}

    def __str__(self):
        return self.websearch()


def phrase_text(phrase):
    return phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'


def clean_query(q):
    """The query as typed, trimmed; control characters dropped."""
    q = "".join(ch for ch in (q or "") if ch.isprintable())
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


def parse(q):
    """Words, "phrases", `or` and -exclusions; stop words, repeats and words past MAX_TERMS left out."""
    query = Query()
    items = []
    for match in QUERY_TOKEN.finditer(clean_query(q)):
        negative, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                items.append("or")
                continue
            negative = bare.startswith("-")
            phrase = tuple(WORD.findall(bare.lower()))
        else:
            negative = negative == "-"
            phrase = tuple(WORD.findall(quoted.lower()))
        if len(phrase) == 1 and phrase[0] in STOP_WORDS:
            continue
        if phrase:
            items.append((negative, phrase))
    budget, left_out, after_or = MAX_TERMS, [], False
    for item in items:
        if item == "or":
            after_or = bool(query.groups)
            continue
        negative, phrase = item
        if phrase in query.excluded or any(phrase in group for group in query.groups):
            after_or = False
            continue
        if len(phrase) > budget:
            left_out.append(" ".join(phrase))
            continue
        budget -= len(phrase)
        if negative:
            query.excluded.append(phrase)
        elif after_or:
            query.groups[-1] = (*query.groups[-1], phrase)
        else:
            query.groups.append((phrase,))
        after_or = False
    if left_out:
        query.notices.append(
            f"Only the first {MAX_TERMS} words are searched for; left out: {', '.join(left_out)}."[:300]
        )
    if query.empty and clean_query(q):
        query.notices.append(
            "Nothing to search for: give at least one word that is not left out with a minus "
            "and not as common as “the” or “and”."
        )
    return query


# -- stemming and highlighting ---------------------------------------------

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word):
    # The English Snowball stemmer, as PostgreSQL's english configuration uses; a pure function, so caching is safe.
    return _stemmer.stemWord(word.lower())


def snippet(text, query, *, words=SNIPPET_WORDS):
    """An HTML-safe excerpt of `text`, cut at word boundaries, around its best run of matching words.

    One pass over the text: each word is escaped once and marked at most
    once, so marks never nest and the result is at most a few times the
    length of the excerpt, whatever the query.
    """
    text = text or ""
    stems = query.stems() if isinstance(query, Query) else parse(query).stems()
    prefixes = {s[:3] for s in stems}
    tokens = []
    hits = []
    for match in WORD.finditer(text):
        word = match.group().lower()
        # Most words cannot match: only those sharing a stem's first letters are stemmed.
        hit = word[:3] in prefixes and stem(word) in stems
        if hit:
            hits.append(len(tokens))
        tokens.append((match.start(), match.end(), hit))
    if not tokens:
        return ""
    start = best_window(hits, words)
    start = max(0, start - 4) if hits else 0
    pieces, position, length = [], tokens[start][0], 0
    end = start
    for index in range(start, min(len(tokens), start + words)):
        token_start, token_end, hit = tokens[index]
        gap = text[position:token_start]
        if len(gap) > 3:
            gap = " " if not gap.strip() else gap[:3].rstrip() + " "
        word = text[token_start:token_end]
        if len(word) > WORD_MAX_CHARS:
            word = word[:WORD_MAX_CHARS] + "…"
        length += len(gap) + len(word)
        if length > SNIPPET_MAX_CHARS and index > start:
            break
        pieces.append(escape(gap))
        pieces.append(f"<mark>{escape(word)}</mark>" if hit else escape(word))
        position, end = token_end, index + 1
    before = "… " if start > 0 else ""
    after = " …" if end < len(tokens) else ""
    return before + "".join(pieces) + after


def best_window(hits, size):
    """The first word of the window of `size` words holding the most hits (hits are word indexes, in order)."""
    best, best_count, left = 0, 0, 0
    for right, hit in enumerate(hits):
        while hit - hits[left] >= size:
            left += 1
        if right - left + 1 > best_count:
            best, best_count = hits[left], right - left + 1
    return best


# -- matching and ranking --------------------------------------------------


def on_postgresql():
    return connection.vendor == "postgresql"


def index_model():
    return apps.get_model(INDEX_MODEL)


def vector():
    """The weighted document PostgreSQL stores in the index's `vector` column and its GIN index serves."""
    result = None
    for column, weight, _ in COLUMNS:
        part = SearchVector(column, weight=weight, config=CONFIG)
        result = part if result is None else result + part
    return result


def vectors_of(documents):
    """The weighted vectors of documents not yet written, as `vector()` makes them, in one query."""
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
    queryset = queryset.filter(matching(query)).annotate(
        search_query=Value(query.websearch(), output_field=CharField())
    )
    if query.empty:
        return queryset.order_by("pk")
    table = queryset.model._meta.db_table
    # Only entities have names: records skip the check.
    entity_kinds = [kind.name for kind in KINDS.values() if kind.priority]
    entities = ", ".join(["%s"] * len(entity_kinds))
    if on_postgresql():
        ts = tsquery(query)
        queryset = queryset.annotate(
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


# -- what is indexed: declared by the apps ---------------------------------


@dataclass
class Kind:
    name: str
    model: str  # the model's label, "gfmd_sessions.Session"
    label: str
    plural: str
    queryset: object  # () -> the model's queryset, with what build needs fetched
    build: object  # (record) -> {field: value} of its SearchDocument; "themes" a list of theme pks
    # Among entities the query names, the higher first: the 2012 meeting above a source titled "GFMD 2012 Mauritius".
    priority: int = 0


KINDS = {}
# {model label: (instance) -> [(kind, pk)] of other documents showing something of it}
DEPENDENTS = {}


def register(name, *, model, label, plural, queryset, build, priority=0):
    KINDS[name] = Kind(name, model, label, plural, queryset, build, priority)


def depends(model, targets):
    DEPENDENTS[model] = targets


def kind_of(model):
    for kind in KINDS.values():
        if kind.model == model._meta.label:
            return kind.name
    raise LookupError(f"{model._meta.label} is not searchable.")


def kind_choices():
    return [(kind.name, kind.plural) for kind in KINDS.values()]


# -- keeping the index in step ---------------------------------------------

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


def rebuild(stdout=None):
    """Every document built again from the records: after bulk writes that sent no signals."""
    with transaction.atomic():
        Document = index_model()
        Document.themes.through.objects.all()._raw_delete(Document.objects.db)
        Document.objects.all()._raw_delete(Document.objects.db)
        if not on_postgresql():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
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
        for record in records:
            values = kind.build(record)
            themes.append(values.pop("themes", ()))
            documents.append(Document(kind=name, object_id=record.pk, **values))
        if not documents:
            return
        if on_postgresql():
            # Computed before the INSERT: an UPDATE afterwards would leave a dead copy of every row.
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


# -- schema ------------------------------------------------------------------


def fts_create_sql():
    columns = ", ".join(column for column, _, _ in COLUMNS)
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, tokenize='{FTS_TOKENIZER}')"
