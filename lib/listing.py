"""Faceted lists: one FilterSet and one column specification drive the HTML page, the JSON API and the CSV.

Several values of one facet combine with OR, different facets with AND. Each
facet value is counted with every *other* active filter applied (disjunctive
faceting), so choosing one agency does not hide the others' counts.

Every FacetFilter of a FilterSet is a facet: it is declared once, as a filter.
Each list declares its fields once, as Columns: the JSON results and the CSV
rows are both read from them, in their order.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from itertools import islice
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import EMPTY_VALUES
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from lib import exports, feeds, search
from lib.charts import bar_chart, largest
from lib.facet_index import FacetIndex, key_values, link_table, ordering_of
from lib.links import absolute
from lib.models import attach_links
from lib.spreadsheet import csv_text, safe_cell
from lib.vocabulary import english, in_english

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
# A list page shows this many values of a facet, the most frequent, besides those selected;
# "all N values" opens the rest. The API gives every value unless asked for fewer.
PAGE_FACET_SIZE = 30
MAX_FACET_SIZE = 1000
CONTROL_PARAMS = ("page", "page_size", "format", "facet_size", "bom")
# What a facet value says of a meeting whose records of the list's kind are not in the sources: its
# count is unknown (null), not zero. The apps say which meetings those are (FacetedFilterSet.coverage).
NOT_IN_SOURCES = "not-in-sources"
# A CSV is read, prefetched and written this many rows at a time: what a download holds in memory at once.
# At 100x, 50 rather than 100 took a third less memory (a sessions CSV 777 -> 503 kB on PostgreSQL), for
# whole downloads about as long on PostgreSQL and 5-25% longer on SQLite: the first byte is what a reader
# waits for, and memory is what a server with many downloads at once runs out of.
CSV_BATCH = 50
# A CSV row starts with the record's page and its id, where a spreadsheet's reader looks first.
CSV_LEAD = ("url", "id")
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    """One field of a list's records: its name, its JSON type and how to read it from a record.

    `value` gives the JSON value. The CSV cell is the same value as text (a list
    joined by `separator`, nothing for null, a link made absolute), unless
    `csv` gives its own text or leaves the column out (False). `csv_name`
    names the CSV column where it differs; `json=False` keeps a column out of
    the JSON results (the CSV's ids and labels of related records). `attach`
    sets what the column reads of related rows on a batch of records, run
    only where the column is written.
    """

    name: str
    type: str | tuple  # JSON Schema type: "integer", "string", "array", or ("integer", "null")
    value: Callable[[Any], Any]
    description: str = ""
    format: str = ""  # JSON Schema format: "uri-reference" for a record's page
    items: str | dict = "string"  # the type of an array's items, or their JSON Schema
    json: bool = True
    csv: bool | Callable[[Any], Any] = True
    csv_name: str = ""
    separator: str = "; "
    attach: Callable[[list], None] | None = None

    def csv_cell(self, base_url):
        """A function giving a record's cell of this column: its text, safe for a spreadsheet (lib.spreadsheet).

        What the cell is made of is decided here, once per column, rather than at
        each of the thousands of cells of a CSV.
        """
        read = self.csv if callable(self.csv) else self.value
        separator = self.separator
        prefix = base_url if self.format == "uri-reference" else ""

        def cell(record):
            value = read(record)
            if value is None:
                return ""
            if isinstance(value, str):
                if prefix:
                    value = prefix + value
            elif isinstance(value, list):
                value = separator.join(str(item) for item in value)
            else:
                return value
            return safe_cell(value)

        return cell


# A record's tags as a list, `tag_list`. Prefetched into django-taggit's manager instead, each record
# would build a query of its own just to hold them: most of a list page's time, and of a CSV's.
TAG_LIST = Prefetch("tags", to_attr="tag_list")


# A record's links by editors both ways, as the API gives them (docs/api.md). The data package has them as
# a table of their own (links.csv): the lists' CSVs leave them out.
LINKS = Column(
    "links",
    "array",
    lambda record: record.listed_links,
    description="Links by editors to and from other records, both ways, in the order of their types: "
    "`type` (held-as, also-reported-as, restates, builds-on, follows-up, answers); `direction`, `outgoing` "
    "(this record restates the other) or `incoming` (the other restates this one); `label`, the link as "
    "the record's page shows it (Restates, Restated by); `record`, the other record's page; the editor's "
    "`note` and the source's `quote`.",
    items={
        "type": "object",
        "required": ["type", "direction", "label", "record", "note", "quote"],
        "properties": {
            "type": {"type": "string"},
            "direction": {"type": "string", "enum": ["outgoing", "incoming"]},
            "label": {"type": "string"},
            "record": {"type": "string", "format": "uri-reference"},
            "note": {"type": "string"},
            "quote": {"type": "string"},
        },
        "additionalProperties": False,
    },
    csv=False,
    attach=attach_links,
)


def joined(items, attribute="slug"):
    """Related records as one CSV cell."""
    return "; ".join(str(getattr(item, attribute)) for item in items)


class FacetField(django_filters.fields.MultipleChoiceField):
    """A facet's form field: a value is checked against the facet's values as a set. A facet can hold
    hundreds of values (one per meeting), which Django's choice field would normalise and walk for each."""

    def __init__(self, *args, choices=(), **kwargs):
        self.values_of = choices
        super().__init__(*args, choices=choices, **kwargs)

    def valid_value(self, value):
        choices = self.values_of() if callable(self.values_of) else self.values_of
        return str(value) in {str(key) for key, _ in choices}


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A facet: several values combine with OR.

    A value read through a foreign key (a meeting's year) filters on the key
    itself (`meeting_id IN (...)`), and one read through a many-to-many field
    (themes, tags, agencies) on the link table alone, so that no filter joins
    the tables it names, repeats rows or makes the list SELECT DISTINCT.

    `absent` is the condition a list keeps when the parameter is not given
    (a stage facet shows what was held unless the reader asks for plans);
    `default` is what the records it keeps have ("held", or None for no
    other event), and `default_note` says so to a reader. The API declares
    them, with what they left out (FacetedFilterSet.defaults).

    A meeting whose records the sources do not give at all stays in its facet,
    counted None and said to be "not-in-sources", never 0 (FacetedFilterSet.coverage).
    """

    field_class = FacetField

    def __init__(self, *args, absent=None, default=None, default_note="", quoted=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Values whose labels quote the sources (a matrix's section titles) or the editors' English keywords
        # (tags): English on a page in any language, and marked so.
        self.quoted = quoted
        self.absent = absent
        self.default = default
        self.default_note = default_note

    def filter(self, qs, value):
        if not value:
            return qs if self.absent is None else qs.filter(self.absent)
        wanted = {str(v) for v in value}
        head, _, rest = self.field_name.partition("__")
        field = qs.model._meta.get_field(head)
        if not rest:
            return qs.filter(**{f"{head}__in": value})
        keys = [pk for pk, (v,) in key_values(field.related_model, (rest,)).items() if v in wanted]
        if field.many_to_one and field.concrete:
            return qs.filter(**{f"{head}__in": keys})
        if field.many_to_many:
            links, record, target = link_table(qs.model, field)
            return qs.filter(pk__in=links.filter(**{f"{target}__in": keys}).values(record))
        matching = qs.model._default_manager.filter(**{f"{self.field_name}__in": value}).values("pk")
        return qs.filter(pk__in=matching)


class Ordering(django_filters.OrderingFilter):
    """A list's `sort`: a value it does not take is a 400 that names those it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = ", ".join(value for value, _ in self.extra["choices"] if value)
        self.extra["error_messages"] = {
            "invalid_choice": format_lazy(
                gettext_lazy("sort must be one of {values}, or left out for the list's own order."), values=values
            )
        }


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose FacetFilters are the list's facets, counted in their declared order.

    The facets are counted, and a page's records found, in the list's index of
    facets kept per content revision (lib.facet_index); the tests hold it to
    counts made by the database.
    """

    q = django_filters.CharFilter(method="filter_text", label=gettext_lazy("Search"))

    def filter_text(self, queryset, name, value):
        # The record's search document holds the text of its rows too (an activity's objectives).
        return search.filter_queryset(queryset, value)

    @property
    def search_notices(self):
        """What the search left out of the query (words past the limit), for the reader."""
        q = self.form.cleaned_data.get("q") if hasattr(self.form, "cleaned_data") else None
        return search.parse(q).notices if q else []

    _form_classes = {}

    def get_form_class(self):
        # The form's fields come from the class's filters alone: built once per FilterSet class rather than
        # at every request (a form copies its fields when it is made, so no request sees another's).
        key = self.__class__
        if key not in self._form_classes:
            self._form_classes[key] = super().get_form_class()
        return self._form_classes[key]

    @classmethod
    def facet_names(cls):
        return [name for name, f in cls.base_filters.items() if isinstance(f, FacetFilter)]

    @cached_property
    def index_state(self):
        """(index, {facet: the records its selection lets through}, the records every other filter lets through)."""
        index = FacetIndex.of(self)
        chosen = {name: index.selection(name, self.form.cleaned_data.get(name)) for name in self.facet_names()}
        rest = index.everything
        model = self.queryset.model
        for name, value in self.form.cleaned_data.items():
            if name in chosen or name == "sort" or value in EMPTY_VALUES:
                continue
            if name == "q":
                # The search box: the text index says which records match, the facet index counts them.
                matching = search.matching_pks(model, value)
            else:
                kept = self.filters[name].filter(model._default_manager.order_by(), value)
                matching = kept.values_list("pk", flat=True)
            rest &= index.bitset(matching)
        return index, chosen, rest

    def indexed_counts(self):
        """{facet: {value: count}}, each facet counted under every other filter, from the index."""
        index, chosen, rest = self.index_state
        counts = {}
        for name in chosen:
            among = rest
            for other, records in chosen.items():
                if other != name:
                    among &= records
            counts[name] = index.counts(name, among)
        return counts

    def ordered(self):
        """The filtered records from the database, in the list's order or the reader's, ties broken by id as
        the index breaks them, so that a page, the API and the CSV agree on every database."""
        queryset = self.qs
        return queryset.order_by(*ordering_of(queryset), "pk")

    def records(self):
        """The filtered records in the list's order, to paginate; in the reader's order from the database."""
        if self.form.cleaned_data.get("sort"):
            return self.ordered()
        return IndexedRecords(self.index_state[0], self.found(), self.queryset)

    def found(self):
        """The records every filter lets through, as a bitset of the list's index."""
        _, chosen, found = self.index_state
        for records in chosen.values():
            found &= records
        return found

    def counted_by(self, name):
        """[{"value", "label", "count"}] of the records the list holds (every filter applied, unlike a facet's
        counts) by the values of one facet, in their order, from the index; a meeting whose records of the
        list's kind our sources do not give counted None. A value the reader's choices leave out of the
        view is left out (`leaves_out`), not counted 0."""
        index = self.index_state[0]
        counts = index.counts(name, self.found())
        silent = {value for value, word in self.coverage().get(name, {}).items() if word == NOT_IN_SOURCES}
        values, left_out = [], self.leaves_out(name)
        for value, label in index.labels[name]:
            count = counts.get(value, 0)
            if not count and left_out(value):
                continue
            values.append({"value": value, "label": label, "count": None if value in silent and not count else count})
        return values

    # {facet: other facets whose choice narrows it}, as a year chosen leaves out the other years' meetings.
    narrowing = {}

    def leaves_out(self, name):
        """Whether the reader's choices leave a value of a facet, which has no records in the view, out of it:
        a value not chosen of the facet, or any value when a facet narrowing it is chosen. A test of one value,
        made once a facet, as a meeting facet has hundreds of values to test."""
        data = self.form.cleaned_data
        chosen = {str(v) for v in data.get(name) or ()}
        if chosen:
            return lambda value: value not in chosen
        narrowed = any(data.get(other) for other in self.narrowing.get(name, ()))
        return lambda value: narrowed

    def defaults(self):
        """What the parameters left out keep, and how many records each value they leave out would add.

        {"stage": "held", "left_out": {"stage=planned": 25}, "note": "..."}: a key of `left_out` is the
        parameter that shows those records, counted under every other filter, from the facet index.
        """
        index, chosen, rest = self.index_state
        declared, left_out, notes = {}, {}, []
        for name in self.facet_names():
            facet = self.filters[name]
            if facet.absent is None or self.form.cleaned_data.get(name):
                continue
            declared[name] = facet.default
            notes.append(facet.default_note)
            among = rest & (index.everything ^ index.absent[name])
            for other, records in chosen.items():
                if other != name:
                    among &= records
            counts = index.counts(name, among)
            for value, _ in index.labels[name]:
                if counts.get(value):
                    left_out[f"{name}={value}"] = counts[value]
        note = " ".join(str(note) for note in notes if note) or gettext("Nothing is left out by default.")
        return declared | {"left_out": left_out, "note": note}

    def coverage(self):
        """{facet: {value: "complete", "partial" or NOT_IN_SOURCES}}: how much of each meeting's records of the
        list's kind the sources give, for the facets whose values are meetings. None unless the app says."""
        return {}

    def selected_coverage(self):
        """What the sources cover of the meetings the list is filtered to, where they do not cover all."""
        return []

    # The JSON Schema of selected_coverage()'s items, for the API's description; None where it gives none.
    selected_coverage_schema = None

    def facet_counts(self, size=None):
        """{facet: [{"value", "label", "count", "selected"}]}, values in their natural order.

        With a size, each facet keeps its `size` most frequent values and every
        selected one, and says how many values it has in all (`total`).
        """
        counts = self.indexed_counts()
        index = self.index_state[0]
        coverage = self.coverage()
        result = {}
        # How many values of each facet could be shown (with records, chosen, or not in our sources), shown or not.
        self.facet_totals = {}
        for name in self.facet_names():
            selected = set(self.form.cleaned_data.get(name) or [])
            found = counts[name]
            uncovered = {
                value
                for value, word in coverage.get(name, {}).items()
                if word == NOT_IN_SOURCES and not found.get(value)
            }
            names = index.in_language()
            rank = names.rank[name]
            if size is None:
                choices = names.labels[name]
            else:
                # Only the values shown are built, not the hundreds a facet of meetings may have.
                label_of = names.label_of[name]
                choices = [(value, label_of[value]) for value in top_values(found, selected, uncovered, rank, size)]
            values = [
                {"value": value, "label": label, "count": found.get(value, 0), "selected": value in selected}
                | ({"count": None, "coverage": NOT_IN_SOURCES} if value in uncovered else {})
                for value, label in choices
            ]
            self.facet_totals[name] = len((found.keys() | selected | uncovered) & rank.keys())
            result[name] = values
        return result


@dataclass
class IndexedRecords:
    """A list's filtered records as the paginator reads them: counted by the index, a page read by id."""

    index: FacetIndex
    found: int  # a bitset of the index's records
    queryset: QuerySet

    def count(self):
        return self.found.bit_count()

    def __len__(self):
        return self.count()

    def pks(self):
        """The ids of every record, in the list's order."""
        return self.index.pks_at(self.found, 0, self.count())

    def __getitem__(self, window):
        pks = self.index.pks_at(self.found, window.start or 0, window.stop)
        by_pk = {record.pk: record for record in self.queryset.order_by().filter(pk__in=pks)}
        # A record deleted since the index was read is left out rather than failing the page.
        return [by_pk[pk] for pk in pks if pk in by_pk]


def shown_value(value):
    """Whether a facet shows a value: it has records, is chosen, or its records are not in our sources."""
    return bool(value["count"] or value["selected"] or value.get("coverage"))


def top_values(found, selected, uncovered, rank, size):
    """The values a facet shows, in their natural order (`rank`: {value: place}): its `size` values with the
    most records (`found`: {value: count}), then values not in our sources while there is room (their facet's
    "all values" shows the rest), and every selected one."""
    counted = sorted(found.keys() & rank.keys(), key=lambda value: (-found[value], rank[value]))
    kept = set(counted[:size])
    kept.update(sorted(uncovered & rank.keys(), key=rank.__getitem__)[: max(size - len(kept), 0)])
    kept.update(selected & rank.keys())
    return sorted(kept, key=rank.__getitem__)


def parse_paging(params):
    """(page, page_size, errors): positive whole numbers, page size at most MAX_PAGE_SIZE."""
    errors = {}
    values = {}
    for name, default, upper in (("page", 1, None), ("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = params.get(name, "")
        if raw == "":
            values[name] = default
            continue
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 9:
            message = (
                gettext("{name} must be a whole number from 1 to {upper}.")
                if upper
                else gettext("{name} must be a whole number from 1.")
            )
            errors[name] = [message.format(name=name, upper=upper)]
            continue
        if upper and int(raw) > upper:
            errors[name] = [
                gettext("{name} must be at most {upper}; ask for the next page instead.").format(name=name, upper=upper)
            ]
            continue
        values[name] = int(raw)
    return values.get("page", 1), values.get("page_size", DEFAULT_PAGE_SIZE), errors


def page_of(request, items, per_page, count=None):
    """(page, error): the page `?page=` asks for of a page's own list (meetings, sections), or why not.

    `count`, when the caller has a cheaper way to count the items than counting the query.
    """
    number, _, errors = parse_paging(request.GET)
    if "page" in errors:
        return None, errors["page"][0]
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    if number > paginator.num_pages:
        return None, gettext("There is no page {number}: there are {pages}.").format(
            number=number, pages=paginator.num_pages
        )
    return paginator.page(number), None


def parse_facet_size(params, default):
    """(size, errors): how many values each facet shows; None for all of them."""
    raw = params.get("facet_size", "")
    if raw == "":
        return default, {}
    if raw == "all":
        return None, {}
    if raw.isascii() and raw.isdigit() and len(raw) < 5 and 1 <= int(raw) <= MAX_FACET_SIZE:
        return int(raw), {}
    message = gettext("facet_size must be a whole number from 1 to {largest}, or all.").format(largest=MAX_FACET_SIZE)
    return default, {"facet_size": [message]}


def unknown_parameters(params, known):
    """An error for each parameter the list does not take, so that a mistyped filter is not silently ignored."""
    unknown = sorted(set(params) - set(known))
    if not unknown:
        return {}
    message = gettext("{name} is not a parameter of this list; it takes {known}.")
    return {name: [message.format(name=name, known=", ".join(sorted(known)))] for name in unknown}


@dataclass(kw_only=True, eq=False)  # a list is itself: compared and hashed by identity
class FacetedList:
    """Everything one faceted list needs: its FilterSet, queryset, columns and output formats."""

    filterset_class: type[FacetedFilterSet]
    queryset: QuerySet
    # The list's page, extending includes/list_page.html.
    template: str
    title: str
    noun: str
    columns: list[Column]
    api_path: str
    # The page reads only what its cards show; by default what the API reads.
    page_queryset: QuerySet | None = None
    # The CSV reads only what its columns need; by default what the API reads.
    csv_queryset: QuerySet | None = None
    # When every CSV column reads a field of the record itself, these fields: the CSV then reads rows
    # of them (named tuples) rather than whole records, which cost a model instance per row.
    csv_fields: tuple[str, ...] | None = None
    # What the columns read of related rows, set on a batch of records (the API's page, a CSV batch) by
    # a function: values read as plain values, where a prefetch would make a model instance of each row.
    attach: Callable[[list], None] | None = None
    # What else the page shows besides its records (a lede that says what the list is): () -> {name: value}.
    extra_context: Callable[[], dict] | None = None
    # The facet the page's chart counts the view by (lib.charts), or None for no chart.
    chart_facet: str | None = None
    # (filterset) -> (the latest changes to the records the view holds, each titled and linked; what the
    # feed holds): the view's Atom feed. By default the history of the list's own records (`record_changes`).
    changes: Callable[[Any], tuple[list, str]] | None = None

    def __post_init__(self):
        if self.page_queryset is None:
            self.page_queryset = self.queryset
        if self.csv_queryset is None:
            self.csv_queryset = self.queryset

    def parameters(self):
        """Every parameter the list, its API and its CSV take."""
        return (*self.filterset_class.base_filters, *CONTROL_PARAMS)

    def to_json(self, record):
        return {column.name: column.value(record) for column in self.columns if column.json}

    def checked(self, params, queryset):
        """The view's filterset over queryset, and what is wrong with the parameters, {name: [message]}: one the
        list does not take, a value a filter cannot read. The page, the API, the CSV and the feed all ask this."""
        errors = unknown_parameters(params, self.parameters())
        filterset = self.filterset_class(filter_params(params), queryset=queryset)
        if not filterset.is_valid():
            errors.update({name: list(messages) for name, messages in filterset.errors.items()})
        return filterset, errors

    def run(self, request, facet_size, queryset=None):
        params = request.GET
        page_number, page_size, errors = parse_paging(params)
        facet_size, facet_errors = parse_facet_size(params, facet_size)
        errors.update(facet_errors)
        filterset, filter_errors = self.checked(params, self.queryset if queryset is None else queryset)
        errors.update(filter_errors)
        if errors:
            return filterset, None, None, errors
        paginator = Paginator(filterset.records(), page_size)
        if page_number > paginator.num_pages:
            pages = paginator.num_pages
            message = ngettext(
                "There is no page {number}: this list has {pages} page.",
                "There is no page {number}: this list has {pages} pages.",
                pages,
            )
            errors["page"] = [message.format(number=page_number, pages=pages)]
            return filterset, None, None, errors
        return filterset, paginator.page(page_number), filterset.facet_counts(facet_size), errors

    def html(self, request):
        if request.GET.get("format") == "csv":
            # A CSV is data, in English whatever the page's language: the same file from every address.
            with translation.override(settings.LANGUAGE_CODE):
                return self.csv(request)
        if request.GET.get("format") == "atom":
            return self.atom(request)
        if request.GET.get("format") not in (None, "", "html"):
            return render(
                request, "400.html", {"message": gettext("format must be csv or atom, or left out.")}, status=400
            )
        filterset, page, facets, errors = self.run(request, PAGE_FACET_SIZE, self.page_queryset)
        groups = facets and facet_links(request, facets, filterset)
        context = {
            "title": self.title,
            "noun": self.noun,
            "filterset": filterset,
            "page": page,
            "facets": groups,
            "errors": errors,
            "api_url": self.api_path + query_suffix(request.GET, facet_size=None),
            "csv_url": request.path
            + query_suffix(request.GET, format="csv", page=None, page_size=None, facet_size=None),
            "csv_bom_url": request.path
            + query_suffix(request.GET, format="csv", bom="1", page=None, page_size=None, facet_size=None),
            "atom_url": request.path
            + query_suffix(request.GET, format="atom", page=None, page_size=None, facet_size=None),
            "chart": self.chart(filterset) if page is not None else None,
            "clear_url": request.path,
            "page_links": page and page_links(request, page),
            "active": page and active_filters(request, facets, filterset),
            # The chosen values whose records our sources do not give: the heading says so rather than 0.
            "uncovered_chosen": [value["label"] for group in groups or () for value in group["uncovered"]],
            **(self.extra_context() if self.extra_context else {}),
        }
        return render(request, self.template, context, status=400 if errors else 200)

    def api(self, request):
        # The API is English whatever the reader's language (lib/vocabulary.py).
        with english():
            return self.api_answer(request)

    def api_answer(self, request):
        if (refused := format_refused(request, API_FORMATS, csv=self.page_path())) is not None:
            return refused
        filterset, page, facets, errors = self.run(request, None)
        if errors:
            return JsonResponse({"errors": errors}, status=400)
        base = absolute(request.path)
        records = list(page.object_list)
        for attach in self.attachers(column for column in self.columns if column.json):
            attach(records)
        coverage = filterset.coverage()
        selected = filterset.selected_coverage()
        return JsonResponse(
            {
                "count": page.paginator.count,
                "next": base + query_suffix(request.GET, page=page.next_page_number()) if page.has_next() else None,
                "previous": base + query_suffix(request.GET, page=page.previous_page_number())
                if page.has_previous()
                else None,
                "results": [self.to_json(obj) for obj in records],
                **({"notices": filterset.search_notices} if filterset.search_notices else {}),
                "defaults": filterset.defaults(),
                **({"coverage": selected} if selected else {}),
                "facets": {
                    name: [facet_value(v, coverage.get(name, {})) for v in values] for name, values in facets.items()
                },
            },
            json_dumps_params={"ensure_ascii": False},
        )

    def chart(self, filterset):
        """The view counted by the list's chart facet, as templates/includes/chart.html draws it, from the facet
        index: no query. At most lib.charts.MAX_BARS bars, the values with the most records; `of` says of how many."""
        if not self.chart_facet:
            return None
        values = filterset.counted_by(self.chart_facet)
        shown = largest(values)
        label = filterset.filters[self.chart_facet].label
        title = gettext("{records} in this view by {facet}").format(
            records=capfirst(self.noun), facet=str(label).lower()
        )
        chart = bar_chart(shown, slug=self.chart_facet, title=title, heading=label)
        if chart and len(shown) < len(values):
            chart["of"] = len(values)
        return chart

    def atom(self, request):
        """The view as an Atom feed of its records' latest changes (lib.feeds)."""
        filterset, errors = self.checked(request.GET, self.queryset)
        if errors:
            message = " ".join(message for messages in errors.values() for message in messages)
            return render(request, "400.html", {"message": message}, status=400)
        changes, note = (self.changes or self.record_changes)(filterset)
        page_path = request.path + query_suffix(request.GET, format=None)
        if page_path == request.path:
            title = gettext("{list}: latest changes · GFMD Knowledge Base")
        else:
            title = gettext("{list}: latest changes in this view · GFMD Knowledge Base")
        return feeds.atom(
            title=title.format(list=self.title),
            path=request.get_full_path(),
            page_path=page_path,
            changes=changes,
            note=note,
        )

    def record_changes(self, filterset):
        """The latest changes to the records the view holds, titled and linked as the page's cards."""
        index, found = filterset.index_state[0], filterset.found()
        count = found.bit_count()
        model = filterset.queryset.model
        if count <= feeds.BY_ID:
            changes = feeds.latest_changes(model, index.pks_at(found, 0, count))
            note = gettext("The latest changes to the {count} {records} of this view, newest first.")
        else:
            position, held = index.position, found.to_bytes((index.size + 7) // 8, "little")

            def keep(pk):
                at = position.get(pk)
                return at is not None and held[at >> 3] >> (at & 7) & 1

            changes = feeds.latest_changes(model, keep=keep)
            note = gettext(
                "The changes to the {count} {records} of this view among the latest {scanned} changes to "
                "{records}, newest first; a narrower view follows every change to its records."
            )
        note = note.format(count=count, records=self.noun, scanned=feeds.SCANNED)
        feeds.describe(changes)
        records = self.page_queryset.prefetch_related(None).in_bulk([change.pk for change in changes])
        # A record deleted since the index was read is left out, as a page leaves it out.
        changes = [change for change in changes if change.pk in records]
        for change in changes:
            record = records[change.pk]
            change.title, change.url = str(record), record.get_absolute_url()
        return changes, note

    def attachers(self, columns):
        """What the list and the given columns read of related rows, as functions of a batch of records."""
        return [attach for attach in (self.attach, *(column.attach for column in columns)) if attach]

    def page_path(self):
        """The list's page, whose `?format=csv` is the CSV of the API's view."""
        return self.api_path.removeprefix("/api")

    def csv(self, request):
        """The whole filtered list: the unfiltered one from its file (lib.exports), a filtered one streamed, a
        batch of rows at a time, within the server's cap on streams."""
        filterset, errors = self.checked(request.GET, self.csv_queryset)
        bom = request.GET.get("bom", "")
        if bom not in ("", "0", "1"):
            errors["bom"] = [gettext("bom must be 1 (start the file with a byte-order mark) or 0.")]
        if errors:
            return JsonResponse({"errors": errors}, status=400)
        base_url = settings.SITE_URL
        # Named after the list and its filters; the whole list's file after the list alone.
        filename = csv_filename(self.api_path, request.GET)
        if not any(any(values) for _, values in filterset.data.lists()):
            export = exports.Export(
                name=f"list-{self.api_path.strip('/').split('/')[-1]}.csv",
                build=lambda out: out.writelines(chunk.encode() for chunk in self.csv_chunks(filterset, base_url, bom)),
                content_type=CSV_TYPE,
                filename=filename,
                variant=(base_url, bom == "1"),
            )
            return exports.built(request, export)
        return exports.stream(
            request, self.csv_chunks(filterset, base_url, bom), content_type=CSV_TYPE, filename=filename
        )

    def csv_chunks(self, filterset, base_url, bom):
        columns = [column for column in self.columns if column.csv is not False]
        columns.sort(key=lambda column: CSV_LEAD.index(column.name) if column.name in CSV_LEAD else len(CSV_LEAD))
        records = filterset.ordered()
        if self.csv_fields:
            records = records.values_list(*self.csv_fields, named=True)
        # The CSV is English whatever the reader's language, though its page's `?format=csv` asks for it.
        return in_english(
            csv_text(
                [column.csv_name or column.name for column in columns],
                csv_batches(records, columns, base_url, attach=self.attachers(columns)),
                bom=bom == "1",
            )
        )


def csv_filename(api_path, params):
    """A download's name after the list and its filters: activities_gmg_member-IOM_section-a.csv.

    Letters, digits and - . + only, so that every system keeps it as it is; at most 150 characters.
    """
    parts = [api_path.strip("/").split("/")[-1]]
    for name in sorted(set(params) - set(CONTROL_PARAMS)):
        values = [value for value in params.getlist(name) if value]
        if values:
            parts.append(f"{name}-{'+'.join(sorted(values))}")
    text = unicodedata.normalize("NFKD", "_".join(parts)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9_.+-]+", "-", text).strip("-.")
    return f"{text[:150].rstrip('-.')}.csv"


def facet_value(value, coverage):
    """A facet value as the API gives it; of a meeting, with what the sources cover of it (where they cover
    none, `facet_counts` has counted it null, not zero)."""
    result = {"value": value["value"], "label": value["label"], "count": value["count"]}
    if value["value"] in coverage:
        result["coverage"] = coverage[value["value"]]
    return result


# The formats an API answer takes (`format=`): JSON alone, the default.
API_FORMATS = ("json",)


def format_refused(request, formats, *, csv=None):
    """A 400 naming the formats this address takes when `format=` asks for another; None when it may go on.

    `formats` are the values it takes (absent is its first); `csv`, the page whose `?format=csv` gives
    the same view as CSV, for an API address asked for one.
    """
    wanted = request.GET.get("format")
    if not wanted or wanted in formats:
        return None
    if formats:
        message = gettext("format must be {formats}, or left out; {wanted} is not one of them.")
    else:
        message = gettext("this address takes no format; {wanted} is not one of them.")
    message = message.format(formats=gettext(" or ").join(formats), wanted=repr(wanted))
    if csv and wanted in ("csv", "atom"):
        at = csv + query_suffix(request.GET, format=wanted)
        if wanted == "csv":
            message += " " + gettext("The CSV of this view is at {address}.").format(address=at)
        else:
            message += " " + gettext("The Atom feed of this view is at {address}.").format(address=at)
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return JsonResponse({"errors": {"format": [message]}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def takes_formats(*formats, csv=None):
    """A view that answers 400 to a `format=` it does not take (see format_refused): an API's or a data
    file's, which answers in English whatever the reader's language."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            refused = format_refused(request, formats, csv=csv)
            if refused is not None:
                return refused
            with english():
                return view(request, *args, **kwargs)

        return checked

    return decorate


def csv_batches(queryset, columns, base_url, *, attach=()):
    """The rows of the CSV, a batch at a time: read, prefetched and written CSV_BATCH records at once."""
    # Each cell is made safe (no formula a spreadsheet would run) by csv_cell.
    cells = [column.csv_cell(base_url) for column in columns]
    lookups = queryset._prefetch_related_lookups
    # The lists the lookups give (`to_attr`): a reverse foreign key's rows point back at their record.
    kept = [lookup.to_attr for lookup in lookups if isinstance(lookup, Prefetch) and lookup.to_attr]
    records = queryset.prefetch_related(None).iterator(chunk_size=CSV_BATCH)
    while batch := list(islice(records, CSV_BATCH)):
        if lookups:
            prefetch_related_objects(batch, *lookups)
        for attach_batch in attach:
            attach_batch(batch)
        yield [[cell(record) for cell in cells] for record in batch]
        if lookups:
            for record in batch:
                # A prefetched queryset points back at its record: a cycle per record that only the cyclic
                # garbage collector frees, late, so memory would grow with the export. Broken here.
                record.__dict__.pop("_prefetched_objects_cache", None)
                for name in kept:
                    record.__dict__.pop(name, None)


def filter_params(params):
    params = params.copy()
    for name in CONTROL_PARAMS:
        params.pop(name, None)
    return params


def query_suffix(params, **changes):
    """The query string with some parameters replaced (None removes them), or ''."""
    params = params.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


class Toggles:
    """Links that add a value to, or take it from, the filter of the current address (leaving its page).

    Each parameter is encoded once, not once per link: a page holds a link per facet value.
    """

    def __init__(self, request):
        self.path = request.path
        self.keys = [key for key in request.GET if key != "page"]
        self.values = {key: request.GET.getlist(key) for key in self.keys}
        self.encoded = {key: [urlencode({key: v}) for v in values] for key, values in self.values.items()}

    def url(self, name, value):
        parts = []
        for key in self.keys:
            if key == name:
                values = self.values[key]
                toggled = [v for v in values if v != value] if value in values else [*values, value]
                parts.extend(urlencode({key: v}) for v in toggled)
            else:
                parts.extend(self.encoded[key])
        if name not in self.values:
            parts.append(urlencode({name: value}))
        return self.path + ("?" + "&".join(parts) if parts else "")


def facet_links(request, facets, filterset):
    """Facets for the page: each value with the link that adds it to, or takes it from, the filter."""
    groups = []
    toggles = Toggles(request)
    for name, values in facets.items():
        items = [value | {"url": toggles.url(name, value["value"])} for value in values if shown_value(value)]
        chosen = [value["value"] for value in values if value["selected"]]
        total = filterset.facet_totals[name]
        group = {
            "name": name,
            "label": filterset.filters[name].label,
            "quoted": filterset.filters[name].quoted,
            "values": items,
            "active": bool(chosen),
            "chosen": chosen,
            # The chosen values whose records our sources do not give, which the list says so of.
            "uncovered": [value for value in items if value["selected"] and value.get("coverage")],
        }
        if len(items) < total:
            group["total"] = total
            group["more_url"] = request.path + query_suffix(request.GET, facet_size="all") + f"#facet-{name}"
        groups.append(group)
    return groups


def active_filters(request, facets, filterset):
    """What the list is filtered by, each with a link that removes it."""
    active = []
    toggles = Toggles(request)
    for name, values in facets.items():
        for value in values:
            if value["selected"]:
                facet = filterset.filters[name]
                url = toggles.url(name, value["value"])
                active.append({"facet": facet.label, "value": value["label"], "quoted": facet.quoted, "url": url})
    q = filterset.form.cleaned_data.get("q")
    if q:
        url = request.path + query_suffix(request.GET, q=None, page=None)
        active.append({"facet": gettext("Search"), "value": q, "url": url})
    return active


def page_links(request, page):
    links = {}
    if page.has_previous():
        links["previous"] = request.path + query_suffix(request.GET, page=page.previous_page_number())
    if page.has_next():
        links["next"] = request.path + query_suffix(request.GET, page=page.next_page_number())
    return links
