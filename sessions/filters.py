import django_filters

from gfmd import choices
from gfmd.listing import FacetedFilterSet, FacetFilter
from sessions.models import Session, Track


class SessionFilter(FacetedFilterSet):
    year = FacetFilter(field_name="meeting__year", choices=choices.meeting_years, label="Year")
    meeting = FacetFilter(field_name="meeting__slug", choices=choices.meetings, label="Meeting")
    track = FacetFilter(field_name="roundtable__track", choices=Track.choices, label="Track")
    theme = FacetFilter(field_name="themes__slug", choices=choices.themes, label="Theme")
    tag = FacetFilter(field_name="tags__slug", choices=choices.tags_of("gfmd_sessions.Session"), label="Tag")
    sort = django_filters.OrderingFilter(
        fields=(("meeting__year", "year"), ("number", "number"), ("title", "title")),
        label="Sort",
        empty_label="Source order",
    )

    facets = {
        "year": "meeting__year",
        "meeting": "meeting__slug",
        "track": "roundtable__track",
        "theme": "themes__slug",
        "tag": "tags__slug",
    }

    class Meta:
        model = Session
        fields = []
