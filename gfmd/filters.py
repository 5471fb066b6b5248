"""The site search as a faceted list of search documents: the same facets, counts, API and CSV as the lists."""

from functools import cached_property

import django_filters
from django import forms

from gfmd.models import SearchDocument
from lib import search
from lib.listing import FacetedFilterSet, FacetFilter
from sessions import choices as meeting_choices
from sessions.models import Stage, Track
from themes import choices as theme_choices


class FieldFilter(FacetFilter):
    """A facet on a column of the document itself: a plain IN, no subquery, as no row can repeat."""

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class StageFilter(FieldFilter):
    """Records as held at the meeting unless the reader asks by stage: no plans, no points of other events."""

    def filter(self, qs, value):
        if not value:
            return qs.filter(stage=Stage.HELD, event="")
        return super().filter(qs, value)


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
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label="Theme")
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
        # The filters narrow, then the matches are ranked: entities the query names first.
        return search.ranked(super().filter_queryset(queryset), self.query)
