"""The site search as a faceted list of search documents: the same facets, counts, API and CSV as the lists."""

from collections import defaultdict
from functools import cached_property

import django_filters
from django import forms
from django.db.models import Count, Q

from gfmd.models import SearchDocument
from lib import search
from lib.listing import FacetedFilterSet, FacetFilter, choices_of, key_values, link_table
from sessions import choices as meeting_choices
from sessions.models import Stage, Track
from themes import choices as theme_choices


class FieldFilter(FacetFilter):
    """A facet on a column of the document itself: a plain IN, no subquery, as no row can repeat."""

    def filter(self, qs, value):
        return qs.filter(self.condition(value))

    def condition(self, value):
        """What a document must be to pass, as a condition on its row."""
        return Q(**{f"{self.field_name}__in": value}) if value else Q()


class StageFilter(FieldFilter):
    """Records as held at the meeting unless the reader asks by stage: no plans, no points of other events."""

    def condition(self, value):
        if not value:
            return Q(stage=Stage.HELD, event="")
        return super().condition(value)


class LinkFilter(FacetFilter):
    """A facet on a many-to-many link of the document (its themes)."""

    def condition(self, value):
        """What a document must be to pass, as a condition on its row: linked to one of the values."""
        if not value:
            return Q()
        head, _, rest = self.field_name.partition("__")
        field = SearchDocument._meta.get_field(head)
        links, record, target = link_table(SearchDocument, field)
        wanted = {str(v) for v in value}
        keys = [pk for pk, (v,) in key_values(field.related_model, (rest,)).items() if v in wanted]
        return Q(pk__in=links.filter(**{f"{target}__in": keys}).values(record))


class SearchFilter(FacetedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        required=True,
        error_messages={"required": "q is required: the words to search for."},
        widget=forms.TextInput,
    )
    type = FieldFilter(field_name="kind", choices=search.kind_choices, label="Type")
    year = FieldFilter(field_name="year", choices=meeting_choices.meeting_years, label="Year")
    meeting = FieldFilter(field_name="meeting", choices=meeting_choices.meetings, label="Meeting")
    track = FieldFilter(field_name="track", choices=Track.choices, label="Track")
    theme = LinkFilter(field_name="themes__slug", choices=theme_choices.themes, label="Theme")
    stage = StageFilter(field_name="stage", choices=Stage.choices, label="Stage")

    facets = {
        "type": "kind",
        "year": "year",
        "meeting": "meeting",
        "track": "track",
        "theme": "themes__slug",
        "stage": "stage",
    }

    max_terms = search.MAX_TERMS

    class Meta:
        model = SearchDocument
        fields = []

    @cached_property
    def query(self):
        return search.parse(self.form.cleaned_data.get("q", ""))

    def filter_text(self, queryset, name, value):
        return search.filter_documents(queryset, self.query)

    def filter_queryset(self, queryset):
        # The facets narrow, then the matches are ranked: entities the query names first. Ranking
        # matches the words itself (on SQLite, by the join bm25 needs), so filter_text is not applied twice.
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        ranked = search.ranked(queryset, self.query, kinds=self.form.cleaned_data.get("type") or None)
        # The number of results is counted with the facets, in their pass over the matches.
        ranked.known_count = lambda: self.facet_pass[1]
        return ranked

    def count_all(self):
        return self.facet_pass[0]

    @cached_property
    def facet_pass(self):
        """({facet: {value: count}}, the number of results): each facet counted under every other filter.

        A broad word matches thousands of documents: one pass per facet would read them all six times.
        The columns' facets are counted in one pass grouped by meeting and year, each value of the
        other columns in a count of its own, filtered by the other facets' conditions. A facet on the
        document's links (its themes) is counted through the links, in a second pass.
        """
        matches = search.joined_documents(self.queryset.all(), self.query)
        columns = [name for name in self.facet_names() if isinstance(self.filters[name], FieldFilter)]
        links = [name for name in self.facet_names() if name not in columns]
        conditions = {name: self.condition(name) for name in columns}
        linked = {name: self.condition(name) for name in links}

        def others(name):
            return Q(*(condition for other, condition in conditions.items() if other != name and condition))

        grouped = ["meeting", "year"]
        # (facet, value, or None for the grouped columns' own values): the rows it counts. A facet
        # without a selection puts no condition, so several counts are often the same one, asked once.
        counted = {(name, None): others(name) for name in grouped}
        counted["total", "all"] = others(None)
        for name in columns:
            if name not in grouped:
                for value, _ in choices_of(self.filters[name]):
                    field = self.filters[name].field_name
                    counted[name, str(value)] = Q(**{field: value}) & others(name)
        aliases = {}
        for condition in counted.values():
            aliases.setdefault(condition, f"n{len(aliases)}")
        # A document its links (themes) leave out counts for no column: it is left out of this pass.
        rows = (
            matches.filter(*linked.values())
            .order_by()
            .values(*grouped)
            .annotate(**{alias: Count("pk", filter=condition) for condition, alias in aliases.items()})
        )
        by_row_value = [(name, aliases[counted[name, None]]) for name in grouped]
        by_choice = [(name, value, aliases[condition]) for (name, value), condition in counted.items() if value]
        counts = defaultdict(lambda: defaultdict(int))
        for row in rows:
            for name, alias in by_row_value:
                if row[alias] and row[name] is not None:
                    counts[name][str(row[name])] += row[alias]
            for name, value, alias in by_choice:
                counts[name][value] += row[alias]
        for name in links:
            others_linked = [condition for other, condition in linked.items() if other != name]
            counts[name] = self.count_links(name, matches.filter(others(None), *others_linked))
        facets = {name: {value: n for value, n in counts[name].items() if n} for name in self.facet_names()}
        return facets, counts["total"]["all"]

    def count_links(self, name, matches):
        """Counts of a many-to-many facet (themes) over these matches."""
        head, _, rest = self.filters[name].field_name.partition("__")
        values_of = key_values(SearchDocument._meta.get_field(head).related_model, (rest,))
        # An inner join: a document without links counts for no value.
        rows = matches.filter(**{f"{head}__isnull": False}).order_by().values(head).annotate(n=Count("pk"))
        return {values_of[row[head]][0]: row["n"] for row in rows if row[head] in values_of}

    def condition(self, name):
        """The condition a facet puts on a document's row."""
        return self.filters[name].condition(self.form.cleaned_data.get(name))
