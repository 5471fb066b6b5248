"""The site search as a faceted list of search documents: the same facets, counts, API and CSV as the lists."""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gfmd.models import SearchDocument
from lib import search
from lib.facet_index import FacetIndex
from lib.listing import FacetedFilterSet, FacetFilter
from sessions import choices as meeting_choices
from sessions.models import Stage, Track
from themes import choices as theme_choices


class FieldFilter(FacetFilter):
    """A facet on a column of the document itself: a plain IN, no subquery, as no row can repeat."""

    def filter(self, qs, value):
        if not value:
            return qs if self.absent is None else qs.filter(self.absent)
        return qs.filter(**{f"{self.field_name}__in": value})


# Up to this many results, a page of them is read by their ids when the facets leave out most of the
# documents the words match: an id costs the database about as much as MATCHES_PER_ID matches read through
# the text index (measured at 100x on both databases), and a list of more ids costs more than any scan.
FEW = 200
MATCHES_PER_ID = 10


class SearchFilter(FacetedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        required=True,
        error_messages={"required": _("q is required: the words to search for.")},
        widget=forms.TextInput,
    )
    type = FieldFilter(field_name="kind", choices=search.kind_choices, label=_("Type"))
    year = FieldFilter(field_name="year", choices=meeting_choices.meeting_years, label=_("Year"))
    meeting = FieldFilter(field_name="meeting", choices=meeting_choices.meetings, label=_("Meeting"))
    track = FieldFilter(field_name="track", choices=Track.choices, label=_("Track"))
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label=_("Theme"))
    kind = FieldFilter(field_name="record_kind", choices=search.record_kind_choices, label=_("Kind"))
    # Records as held unless the reader asks by stage: plans and drafts are one click away. The search finds
    # every text the site shows: the points of other events too (they have no stage), each saying its event.
    stage = FieldFilter(
        field_name="stage",
        choices=Stage.choices,
        label=_("Stage"),
        absent=~Q(stage=Stage.PLANNED),
        default=Stage.HELD.value,
        default_note=_(
            "Without stage: what was held at the meetings, and the points of other events reported beside "
            "them (which have no stage), not plans or drafts (stage=planned shows those)."
        ),
    )
    event = FieldFilter(field_name="event", choices=meeting_choices.events, label=_("Other event reported alongside"))

    max_terms = search.MAX_TERMS
    # The chart of the results by meeting leaves out the meetings of years not chosen.
    narrowing = {"meeting": ("year",)}

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
        return self.ranked(queryset)

    def ranked(self, queryset):
        return search.ranked(queryset, self.query, kinds=self.form.cleaned_data.get("type") or None)

    def ordered(self):
        return self.qs

    @cached_property
    def index_state(self):
        """(index, {facet: the records its selection lets through}, the documents matching the words)."""
        index = FacetIndex.of(self)
        chosen = {name: index.selection(name, self.form.cleaned_data.get(name)) for name in self.facet_names()}
        # The ids of the matches straight from the text index, without reading their documents.
        return index, chosen, index.bitset(search.matching_ids(self.query))

    def records(self):
        """The results in rank order, counted by the index.

        A few results (facets that narrow a common word) are ranked among their
        ids, which the index gives: the database reads those rows rather than
        every document the words match, and checks no facet again.
        """
        ids = self.few_ids()
        ranked = self.qs if ids is None else self.ranked(self.queryset.filter(pk__in=ids))
        ranked.known_count = self.indexed_count
        ranked.known_entities = self.indexed_entities
        return ranked

    def indexed_count(self):
        return self.found().bit_count()

    def indexed_entities(self):
        """How many of the results are entities: which of them a page holds, entities first."""
        index, _, _ = self.index_state
        return (self.found() & index.selection("type", search.entity_kinds())).bit_count()

    def few_ids(self):
        """The ids of the results, if reading them by id costs less than finding them by their words."""
        index, _, matches = self.index_state
        found = self.found()
        count = found.bit_count()
        if count > FEW or count * MATCHES_PER_ID > matches.bit_count():
            return None
        return index.pks_at(found, 0, count)
