"""A list's facets as bitsets in memory, built once per content revision: any filter combination counted at once.

The records of a list are numbered in the list's order. Each facet value keeps
the set of records that have it: a Python int used as a bitset (bit i for
record i) when it is frequent, a bitset of the stretch of the list it spans
when its records lie together, the sorted record numbers when it is rare, so
the index stays linear in the records however many values a facet has. A
filter is an OR of its values' sets, the list an AND of its filters, a count
a popcount, and a page the set bits from its offset. This is how search
engines count facets (doc values and bitsets): counting no longer grows with
the records a query matches, and a combination nobody asked for before costs
what any other does.

The database stays the source of truth: the index is read from it (one query
for the records' order, every facet a record has one value of and each facet's
condition when nothing is chosen, one for each other facet), kept in each
process for one content revision (lib.caching's per_revision_in_process), and
read again after any change. Filters that are not facets
(the search box) are asked of the database for their records' ids.
"""

import dataclasses
import json
import sys
from array import array
from collections import defaultdict
from itertools import accumulate, chain, compress, repeat
from operator import is_not
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F
from django.db.models.functions import JSONArray
from django.utils import translation

from lib.caching import per_revision, per_revision_in_process

# A value held by fewer than one record in this many is kept as record numbers, not as a bitset: a bitset
# costs at most SPARSE / 8 bytes per record holding the value, so the index stays linear in the records.
SPARSE = 512
BLOCK = 512  # bytes of a bitset skipped at once when looking for a page's first record


class FacetIndex:
    """The facets of one list at one revision; `FacetIndex.of(filterset)` gives the current one."""

    _builders = {}

    @classmethod
    def of(cls, filterset):
        key = filterset.__class__
        if key not in cls._builders:
            facets = {name: filterset.filters[name] for name in filterset.facet_names()}
            queryset = filterset.queryset
            cls._builders[key] = per_revision_in_process(lambda: cls(facets, queryset))
        return cls._builders[key]()

    def __init__(self, facets, queryset):
        """`facets`: {name: FacetFilter}, each read through its `field_name` and kept with its `absent` condition."""
        model = queryset.model
        manager = model._default_manager
        single = [name for name, facet in facets.items() if single_valued(model, facet.field_name)]
        absent = [name for name, facet in facets.items() if facet.absent is not None]
        # The records in the list's order, with every facet a record has one value of and whether it meets
        # each facet's `absent` condition, in one query. Records share far fewer such rows of values (at 100x,
        # 600 for 16,600 points): each is read once, its records' positions given to each of its values whole.
        self.pks, shared = ids_and_values(
            manager.order_by(*ordering_of(queryset), "pk"),
            [F(facets[name].field_name) for name in single]
            + [ExpressionWrapper(facets[name].absent, BooleanField()) for name in absent],
        )
        self.size = len(self.pks)
        self.position = dict(zip(self.pks, range(self.size), strict=True))
        self.everything = (1 << self.size) - 1
        # Each value's runs of positions, one run per row of values holding it.
        runs = {name: defaultdict(list) for name in single}
        runs_met = {name: [] for name in absent}
        for values, positions in shared.items():
            for name, value in zip(single, values[: len(single)], strict=True):
                if value is not None:
                    runs[name][str(value)].append(positions)
            for name, met in zip(absent, values[len(single) :], strict=True):
                if met:
                    runs_met[name].append(positions)
        self.absent = {name: bitset_of(list(chain.from_iterable(held)), self.size) for name, held in runs_met.items()}
        # A facet a record can have several values of (themes, tags): one query each.
        for name, facet in facets.items():
            if name not in single:
                pks, values = linked_values(model, facet.field_name)
                positions = list(map(self.position.get, pks))
                # A link of a record the list leaves out (or deleted since the list was read) counts nowhere.
                kept = list(map(is_not, positions, repeat(None)))
                by_value = positions_by_value(compress(positions, kept), compress(values, kept))
                runs[name] = {value: [held] for value, held in by_value.items()}
        self.values = {
            name: {value: self.compact(held) for value, held in by_value.items()} for name, by_value in runs.items()
        }
        self.facets = facets
        self.labels_by_language = {}

    def in_language(self):
        """Each facet's values and labels in their natural order, as text, and each value's label and place (for
        a page that shows a few values of a facet of hundreds, meetings): what every list page reads to show its
        facets, kept here rather than brought from the shared cache on each request. Labels are interface text,
        so they are kept per language, once each; the bitsets serve every language."""
        language = translation.get_language()
        found = self.labels_by_language.get(language)
        if found is None:
            labels = {
                name: [(str(value), str(label)) for value, label in choices_of(facet)]
                for name, facet in self.facets.items()
            }
            label_of = {name: dict(pairs) for name, pairs in labels.items()}
            rank = {name: {value: i for i, (value, _) in enumerate(pairs)} for name, pairs in labels.items()}
            found = Labels(labels, label_of, rank)
            # A plain assignment, atomic: two requests building the same language at once keep either.
            self.labels_by_language[language] = found
        return found

    @property
    def labels(self):
        return self.in_language().labels

    def memory(self):
        """The bytes the index holds, about: its bitsets, record numbers and the list of ids."""
        held = sum(sys.getsizeof(bits) for bits in self.absent.values())
        for by_value in self.values.values():
            for value in by_value.values():
                held += sys.getsizeof(value.bits if isinstance(value, Window) else value)
        return held + sys.getsizeof(self.pks) + sys.getsizeof(self.position) + 8 * 2 * self.size

    def compact(self, runs):
        """A value's records, as runs of positions each in order: a bitset if they are many; a bitset of the
        stretch of the list they span if they lie close together (a meeting's records, in a list ordered
        by year); else their numbers, in order. A bitset takes its positions in any order, so only the
        numbers of a rare value are sorted."""
        count = sum(map(len, runs))
        if count * SPARSE >= self.size:
            return Window(0, bitset_of(list(chain.from_iterable(runs)), self.size))
        first = min(run[0] for run in runs) >> 3
        last = max(run[-1] for run in runs)
        if (last >> 3) - first < count * SPARSE // 8:
            offset = first * 8
            return Window(first, bitset_of([p - offset for run in runs for p in run], last + 1 - offset))
        return array("I", merged(runs))

    def bitset(self, pks):
        """The records with these ids, as a bitset; ids the index does not hold are left out."""
        # Thousands of ids (a broad word's matches): looked up by map, without a Python step per id.
        return bitset_of([p for p in map(self.position.get, pks) if p is not None], self.size)

    def selection(self, name, chosen):
        """The records a facet lets through: any of the chosen values, or its condition when none is chosen."""
        if not chosen:
            return self.absent.get(name, self.everything)
        values = self.values[name]
        found = 0
        for value in chosen:
            held = values.get(str(value))
            if isinstance(held, Window):
                found |= held.bits << (held.first_byte * 8)
            elif held is not None:
                found |= bitset_of(held, self.size)
        return found

    def counts(self, name, among):
        """{value: number of records of `among` with it} for one facet, values with none left out."""
        counts = {}
        data = among.to_bytes((self.size + 7) // 8, "little")
        for value, held in self.values[name].items():
            if isinstance(held, Window):
                if held.first_byte:
                    part = int.from_bytes(data[held.first_byte : held.first_byte + held.length], "little")
                else:
                    part = among
                n = (held.bits & part).bit_count()
            else:
                n = sum(data[p >> 3] >> (p & 7) & 1 for p in held)
            if n:
                counts[value] = n
        return counts

    def pks_at(self, found, start, stop):
        """The ids of the records `found` holds, from its start-th to its stop-th in the list's order."""
        return [self.pks[p] for p in set_bits(found, start, stop, self.size)]


class Labels(NamedTuple):
    """A facet index's labels in one language."""

    labels: dict  # {facet: [(value, label)]}, in the values' natural order
    label_of: dict  # {facet: {value: label}}
    rank: dict  # {facet: {value: its place in that order}}


@dataclasses.dataclass(slots=True)
class Window:
    """The records of a value as a bitset of part of the list, from byte `first_byte` of the whole bitset."""

    first_byte: int
    bits: int
    length: int = dataclasses.field(init=False)  # in bytes

    def __post_init__(self):
        self.length = (self.bits.bit_length() + 7) // 8


def merged(runs):
    """The positions of several runs, each in order, in one list in order."""
    if len(runs) == 1:
        return runs[0]
    return sorted(chain.from_iterable(runs))


def positions_by_value(positions, values):
    """{value as text: the positions holding it, in order}, from positions and values side by side; a
    record without a value (None) is left out."""
    grouped = defaultdict(list)
    for position, value in zip(positions, values, strict=True):
        grouped[value].append(position)
    grouped.pop(None, None)
    return {str(value): sorted(held) for value, held in grouped.items()}


# Rows read at once: each batch is used before the next is read (see `raw_rows`).
CHUNK = 1000


def raw_rows(queryset):
    """The rows of a values_list() as the database driver gives them, a thousand at a time.

    The index reads ids and texts, which need none of the ORM's conversions: skipping its row-by-row
    path (a conversion call per row, rows fetched a hundred at a time) is most of the cost of reading a
    list of tens of thousands of records.

    Each batch is used before the next is read, so that no more than a thousand row tuples live at once:
    tens of thousands of them alive together would each be walked by Python's garbage collector, whose full
    collections they set off, several times per index.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield rows


def ids_and_values(queryset, expressions):
    """The records' ids, and {(their values of the expressions): the positions of the records holding them}.

    PostgreSQL's driver hands over plain columns for less than the server takes to write them as one text.
    SQLite writes a JSON array in C for less than its driver takes to hand over each value, so there each
    record comes as one text, decoded once per distinct text. The index of the 30,487 search documents at 100x
    takes 125 ms on PostgreSQL, against 160 with a JSON text, and 92 ms on SQLite, against 107 with columns.
    """
    if connections[queryset.db].vendor == "sqlite":
        described = queryset.annotate(facet_values=JSONArray(*expressions))
        pks, shared = ids_and_rows(described.values_list("pk", "facet_values"))
        return pks, {tuple(json.loads(text)): positions for (text,), positions in shared.items()}
    named = {f"facet_value_{i}": expression for i, expression in enumerate(expressions)}
    return ids_and_rows(queryset.annotate(**named).values_list("pk", *named))


def ids_and_rows(queryset):
    """The first column of a values_list() (the records' ids), and {(the row's other values): the positions
    of the rows holding them, in order}, as the database driver gives them (see `raw_rows`)."""
    pks, shared = [], defaultdict(list)
    for rows in raw_rows(queryset):
        for position, row in enumerate(rows, len(pks)):
            shared[row[1:]].append(position)
        pks.extend(row[0] for row in rows)
    return pks, shared


@per_revision
def key_values(model, paths):
    """{pk: (value as text, ...)} of every row of a small table (meetings, roundtables), kept per revision."""
    return {
        pk: tuple(None if v is None else str(v) for v in values)
        for pk, *values in model._default_manager.order_by().values_list("pk", *paths)
    }


def link_table(model, field):
    """(rows linking model's records to field's targets, the record's column, the target's column)."""
    through = field.remote_field.through
    if hasattr(field, "m2m_field_name"):
        return through._default_manager.all(), field.m2m_field_name(), field.m2m_reverse_field_name()
    # A generic tag table (django-taggit) links every kind of record: keep this model's.
    generic = through._meta.private_fields[0]
    content_type = ContentType.objects.get_for_model(model)
    links = through._default_manager.filter(**{generic.ct_field: content_type})
    return links, generic.fk_field, field.m2m_reverse_field_name()


def linked_values(model, path):
    """([record id], [value]) side by side, of a facet a record has several values of ("themes__slug"): read
    from the table linking records to their values, by the values' ids, rather than joined to the values:
    ids cost less to read than texts, and a record without a value gives no row."""
    relation, _, attribute = path.partition("__")
    field = model._meta.get_field(relation)
    links, record, target = link_table(model, field)
    value_of = {pk: value for pk, (value,) in key_values(field.related_model, (attribute,)).items()}
    pks, targets = [], []
    for rows in raw_rows(links.order_by().values_list(record, target)):
        ids, values = zip(*rows, strict=True)
        pks.extend(ids)
        targets.extend(map(value_of.get, values))
    return pks, targets


def choices_of(facet_filter):
    """A facet's values and labels, read from the filter's own choices rather than its form field, which
    normalises every choice again each time it is read."""
    return read_choices(facet_filter.extra["choices"])


def read_choices(choices):
    """Choices given as a list or as a function returning one (read once per revision and language)."""
    return choices() if callable(choices) else choices


def single_valued(model, path):
    """Whether each record has at most one value at the end of the path: no many-to-many or reverse link on it."""
    options = model._meta
    for part in path.split("__"):
        field = options.get_field(part)
        if field.many_to_many or field.one_to_many:
            return False
        if not field.is_relation:
            break
        options = field.related_model._meta
    return True


def ordering_of(queryset):
    return queryset.query.order_by or queryset.model._meta.ordering


# A byte per record, 0 or 1, as the digits "0" and "1".
DIGITS = bytes.maketrans(b"\x00\x01", b"01")
# Fewer positions than one in this many records: a bit set per position costs less than a byte per record.
FEW = 32


def bitset_of(positions, size):
    """The bitset of these positions (a sequence), below `size`.

    Many positions: a byte set per position, then read at once as binary digits (highest first), which
    costs less per position than setting a bit in place. Few (a value of one meeting among hundreds):
    a bit set in place per position, in bytes an eighth the size, as that byte per record would cost
    more than the positions themselves.
    """
    if not size:
        return 0
    if len(positions) * FEW < size:
        data = bytearray((size + 7) >> 3)
        for p in positions:
            data[p >> 3] |= 1 << (p & 7)
        return int.from_bytes(data, "little")
    flags = bytearray(size)
    for p in positions:
        flags[p] = 1
    flags.reverse()
    return int(flags.translate(DIGITS), 2)


def set_bits(found, start, stop, size):
    """The positions of the set bits of `found`, from the start-th (0 first) up to, not including, the stop-th."""
    data = found.to_bytes((size + 7) // 8, "little")
    blocks = [int.from_bytes(data[i : i + BLOCK], "little").bit_count() for i in range(0, len(data), BLOCK)]
    before = 0
    positions = []
    for block, seen in zip(range(len(blocks)), accumulate(blocks), strict=True):
        if seen <= start:
            before = seen
            continue
        offset = block * BLOCK
        for i, byte in enumerate(data[offset : offset + BLOCK]):
            while byte:
                low = byte & -byte
                if before >= start:
                    positions.append((offset + i) * 8 + low.bit_length() - 1)
                    if before + 1 >= stop:
                        return positions
                before += 1
                byte ^= low
        if before >= stop:
            break
    return positions
