"""The computation of the related records (lib/related.py): TF-IDF vectors, scores, lists, and their rows.

Apart from lib/related.py because numpy and scipy take a while to import: a process imports them when it first
writes content, not when it starts.
"""

from collections import Counter, defaultdict

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from scipy import sparse

from lib.models import configured_model
from lib.search.engine import index_model
from lib.search.highlight import stem
from lib.search.query import STOP_WORDS, WORD
from lib.search.registry import KINDS

KEPT = 8
SHARED_TERMS = 4
# Chosen on the judged set (docs/related.md): terms of one record kept, those of more than half left out.
MIN_RECORDS = 1
MAX_SHARE = 0.5
MIN_LETTERS = 3
# Beyond these shares an update is a rebuild: the vocabulary would be too stale, or the work as large.
GROWTH = 1.25
BATCH_SHARE = 0.25
CHUNK = 512
# How a vector is stored: (term index, weight) pairs, little-endian.
PAIR = np.dtype([("term", "<i4"), ("weight", "<f4")])
INSERT_BATCH = 5000


def related_model():
    return configured_model("RELATED_RECORD_MODEL")


def vector_model():
    return configured_model("WORDING_VECTOR_MODEL")


def vocabulary_model():
    return configured_model("WORDING_VOCABULARY_MODEL")


def related_kinds():
    return [kind.name for kind in KINDS.values() if kind.related]


def words_of(text):
    return [w for w in WORD.findall(text.lower()) if len(w) >= MIN_LETTERS and w not in STOP_WORDS and not w.isdigit()]


def stems(words):
    return [stem(word) for word in words]


def place_of(meeting, track, event):
    """Where a record belongs: records of one place are never each other's related records."""
    return f"event:{event}" if event else f"{meeting}:{track}"


def documents(keys=None):
    """[(kind, id, words, place)] of the related kinds' documents, of these (kind, id) when given."""
    queryset = index_model().objects.filter(kind__in=related_kinds())
    if keys is not None:
        queryset = queryset.filter(of_keys(keys, "kind", "object_id"))
    # Read as documents, whose fields name the meeting and the event a record belongs to, without the texts
    # the search reads.
    rows = queryset.order_by("kind", "object_id").defer("names", "title", "body", "vector")
    return [(d.kind, d.object_id, words_of(d.wording), place_of(d.meeting, d.track, d.event)) for d in rows]


def of_keys(keys, kind_field, id_field):
    by_kind = defaultdict(list)
    for kind, pk in keys:
        by_kind[kind].append(pk)
    condition = Q(pk__in=[])
    for kind, pks in by_kind.items():
        condition |= Q(**{kind_field: kind, f"{id_field}__in": pks})
    return condition


def rebuild(stdout=None):
    """Every record's vector and list computed again from the search documents; returns how many records."""
    rows = documents()
    texts = [words for _, _, words, _ in rows]
    matrix, terms, idf = fitted(texts, most=max(MIN_RECORDS, int(MAX_SHARE * len(rows))))
    shown = shown_words(texts)
    vocabulary = [
        [term, round(float(weight), 5), " ".join(shown[part] for part in term.split())]
        for term, weight in zip(terms, idf, strict=True)
    ]
    keys = [(kind, pk) for kind, pk, _, _ in rows]
    places = place_codes([place for *_, place in rows])
    vectors = [row_dict(matrix, i) for i in range(len(rows))]
    lists = []
    for start in range(0, len(rows), CHUNK):
        lists += nearest(matrix[start : start + CHUNK] @ matrix.T, places[start : start + CHUNK], places)
    with transaction.atomic():
        related_model().objects.all().delete()
        vector_model().objects.all().delete()
        vocabulary_model().objects.all().delete()
        vocabulary_model().objects.create(terms=vocabulary, records=len(rows))
        write_vectors(keys, [place for *_, place in rows], vectors, [floor_of(found) for found in lists])
        write_lists(
            {
                key: pairs(found, keys, vectors[i], vectors, vocabulary)
                for i, (key, found) in enumerate(zip(keys, lists, strict=True))
            },
            replace=False,  # every row went above
        )
    if stdout:
        stdout.write(f"  {len(rows)} records, {len(vocabulary)} terms")
    return len(rows)


def fitted(texts, most):
    """(vectors, terms, weights) of the texts: the vocabulary is every stem of at least MIN_RECORDS and at most
    `most` texts, in alphabetical order, each weighing ln((1 + texts) / (1 + texts with it)) + 1."""
    counted = [Counter(stems(words)) for words in texts]
    frequency = Counter(term for counts in counted for term in counts)
    terms = sorted(term for term, n in frequency.items() if MIN_RECORDS <= n <= most)
    idf = np.array([frequency[term] for term in terms], dtype=np.float32)
    idf = np.log(np.float32(len(texts) + 1) / (idf + 1)) + np.float32(1)
    return weighted(counted, {term: i for i, term in enumerate(terms)}, idf), terms, idf


def vectorize(texts, terms):
    """The TF-IDF vectors of these texts under the last rebuild's vocabulary and weights."""
    idf = np.array([term[1] for term in terms], dtype=np.float32)
    return weighted([Counter(stems(words)) for words in texts], {term[0]: i for i, term in enumerate(terms)}, idf)


def weighted(counted, columns, idf):
    """Each text's vector, a row of unit length: for each term of `columns` it holds, (1 + ln(count)) x its
    weight. Float32, as the vectors are stored; each row's length is summed in float64."""
    indptr, indices, counts = [0], [], []
    for text in counted:
        held = sorted((columns[term], n) for term, n in text.items() if term in columns)
        indices += [column for column, _ in held]
        counts += [n for _, n in held]
        indptr.append(len(indices))
    data = np.log(np.array(counts, dtype=np.float32)) + np.float32(1)
    data *= idf[np.array(indices, dtype=np.int64)]
    rows = np.repeat(np.arange(len(counted)), np.diff(indptr))
    lengths = np.sqrt(np.bincount(rows, weights=(data * data).astype(np.float64), minlength=len(counted)))
    lengths[lengths == 0] = 1
    data = (data / lengths[rows]).astype(np.float32)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int32), indptr), shape=(len(counted), len(columns)))


def shown_words(texts):
    """The word shown for each stem: the form the records use most."""
    forms = defaultdict(Counter)
    for words in texts:
        for word in words:
            forms[stem(word)][word] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in forms.items()}


def place_codes(places):
    codes = {}
    return np.array([codes.setdefault(place, len(codes)) for place in places], dtype=np.int64)


def row_dict(matrix, i):
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))


def nearest(scores, row_places, places):
    """For each row of a sparse matrix of scores: [(column, score)] of the KEPT highest among other places,
    highest first. Only a row's scores above 0 are sorted: at 100 times the content a row has 26,000 columns
    and a few thousand scores."""
    scores = scores.tocsr()
    found = []
    for i in range(scores.shape[0]):
        start, end = scores.indptr[i], scores.indptr[i + 1]
        columns, values = scores.indices[start:end], scores.data[start:end]
        keep = (places[columns] != row_places[i]) & (values > 0)
        columns, values = columns[keep], values[keep]
        if len(values) > KEPT:
            top = np.argpartition(-values, KEPT - 1)[:KEPT]
            columns, values = columns[top], values[top]
        found.append(sorted(zip(columns.tolist(), values.tolist(), strict=True), key=lambda pair: (-pair[1], pair[0])))
    return found


def floor_of(found):
    return found[-1][1] if len(found) >= KEPT else 0.0


def pairs(found, keys, own, vectors, vocabulary):
    """[(related key, score, shared words)] of a record's list found among `keys`."""
    return [(keys[column], score, shared(own, vectors[column], vocabulary)) for column, score in found]


def shared(a, b, vocabulary):
    common = sorted(a.keys() & b.keys(), key=lambda term: (-a[term] * b[term], term))[:SHARED_TERMS]
    return ", ".join(vocabulary[term][2] for term in common)[:300]


def packed(vector):
    return np.array(list(vector.items()), dtype=PAIR).tobytes()


def write_vectors(keys, places, vectors, floors):
    Vector = vector_model()
    insert(
        Vector,
        ("kind", "object_id", "place", "floor", "weights"),
        [
            (
                kind,
                pk,
                place[:300],
                floor,
                packed(vector),
            )
            for (kind, pk), place, vector, floor in zip(keys, places, vectors, floors, strict=True)
        ],
    )


def write_lists(lists, *, replace=True):
    """{(kind, id): [(related key, score, words)]}: the rows of these records, replacing any they had."""
    Related = related_model()
    if lists and replace:
        Related.objects.filter(of_keys(lists, "kind", "object_id")).delete()
    insert(
        Related,
        ("kind", "object_id", "rank", "related_kind", "related_object_id", "score", "terms"),
        [
            (kind, pk, rank, other[0], other[1], score, words)
            for (kind, pk), found in lists.items()
            for rank, (other, score, words) in enumerate(found, start=1)
        ],
    )


def insert(model, fields, rows):
    """Rows straight into the model's table: a rebuild at 100 times the content writes 200,000 of them, which
    bulk_create spent most of a minute making objects of."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows: executemany sends PostgreSQL a statement for each of the 200,000.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def update(targets):
    """Called by the write path with the (kind, id) of the documents it rewrote, after rewriting them."""
    kinds = set(related_kinds())
    changed = {(kind, pk) for kind, pk in targets if kind in kinds}
    if not changed:
        return
    vocabulary = vocabulary_model().objects.first()
    total = index_model().objects.filter(kind__in=kinds).count()
    if vocabulary is None or total > GROWTH * vocabulary.records or len(changed) > BATCH_SHARE * total:
        rebuild()
        return
    present = documents(changed)
    terms = vocabulary.terms
    x = vectorize([words for _, _, words, _ in present], terms)
    targets = [((kind, pk), row_dict(x, i)) for i, (kind, pk, _, _) in enumerate(present)]
    vector_model().objects.filter(of_keys(changed, "kind", "object_id")).delete()
    write_vectors(
        [key for key, _ in targets], [place for *_, place in present], [v for _, v in targets], [0.0] * len(targets)
    )
    stored = Stored(terms)
    scores = stored.scores(x, [key for key, _ in targets])
    lists = {
        key: stored.pairs(found, vector)
        for (key, vector), found in zip(
            targets, nearest(sparse.csr_matrix(scores), *stored.places_of(targets)), strict=True
        )
    }
    lists |= entered_and_left(stored, scores, targets, changed)
    lists |= {key: [] for key in changed if key not in lists}  # deleted records
    with transaction.atomic():
        write_lists(lists)
        stored.write_floors({key: floor_of(found) for key, found in lists.items()})


class Stored:
    """Every record's stored vector, place and floor, read in one query."""

    def __init__(self, terms):
        self.terms = terms
        rows = list(
            vector_model()
            .objects.order_by("kind", "object_id")
            .values_list("kind", "object_id", "place", "weights", "floor")
        )
        self.keys = [(kind, pk) for kind, pk, *_ in rows]
        self.position = {key: i for i, key in enumerate(self.keys)}
        self.places = place_codes([place for _, _, place, _, _ in rows])
        self.floors = np.array([floor for *_, floor in rows], dtype=np.float32)
        # One buffer of every record's (term, weight) pairs, read without a loop over the pairs: a save reads the
        # vectors of every record (26,300 at 100 times the content).
        pairs = np.frombuffer(b"".join(bytes(weights) for _, _, _, weights, _ in rows), dtype=PAIR)
        indptr = np.cumsum([0] + [len(weights) // PAIR.itemsize for _, _, _, weights, _ in rows])
        indices, data = pairs["term"], pairs["weight"]
        self.indptr, self.indices, self.data = indptr, indices, data
        self.matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(terms)))

    def places_of(self, targets):
        return self.places[[self.position[key] for key, _ in targets]], self.places

    def scores(self, x, keys):
        """Each changed record's score with every record; 0 with those of its own place."""
        scores = (x @ self.matrix.T).toarray()
        rows = self.places[[self.position[key] for key in keys]]
        scores[rows[:, None] == self.places[None, :]] = 0
        return scores

    def vector(self, column):
        start, end = self.indptr[column], self.indptr[column + 1]
        return dict(zip(self.indices[start:end].tolist(), self.data[start:end].tolist(), strict=True))

    def pairs(self, found, vector):
        return [(self.keys[c], score, shared(vector, self.vector(c), self.terms)) for c, score in found]

    def write_floors(self, floors):
        Vector = vector_model()
        quote = connection.ops.quote_name
        sql = (
            f"UPDATE {quote(Vector._meta.db_table)} SET {quote('floor')} = %s "
            f"WHERE {quote('kind')} = %s AND {quote('object_id')} = %s"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(floor, kind, pk) for (kind, pk), floor in floors.items()])


def entered_and_left(stored, scores, targets, changed):
    """The lists of other records that a changed record enters (its score passes their floor) or was in."""
    passing = np.nonzero(((scores > stored.floors[None, :]) & (scores > 0)).any(axis=0))[0]
    Related = related_model()
    listing = set(
        Related.objects.filter(of_keys(changed, "related_kind", "related_object_id")).values_list("kind", "object_id")
    )
    affected = ({stored.keys[j] for j in passing.tolist()} | listing) - changed
    current = defaultdict(list)
    rows = Related.objects.filter(of_keys(affected, "kind", "object_id")).order_by("rank")
    for kind, pk, *other, score, words in rows.values_list(
        "kind", "object_id", "related_kind", "related_object_id", "score", "terms"
    ):
        if tuple(other) not in changed:
            current[(kind, pk)].append((tuple(other), score, words))
    lists = {}
    for key in affected:
        column = stored.position.get(key)
        if column is None:
            continue
        found = current[key]
        for row, (target, vector) in enumerate(targets):
            if scores[row, column] > 0:
                found.append((target, float(scores[row, column]), shared(stored.vector(column), vector, stored.terms)))
        lists[key] = sorted(found, key=lambda item: (-item[1], item[0]))[:KEPT]
    return lists
