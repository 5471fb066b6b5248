import django_filters
from django.db.models import Q

from lib.choices import tags_of
from lib.listing import FacetedFilterSet, FacetFilter
from sessions import choices as meeting_choices
from sessions.models import Session, Stage, Track
from themes import choices as theme_choices


class SessionFilter(FacetedFilterSet):
    year = FacetFilter(
        field_name="meeting__year",
        choices=meeting_choices.meeting_years,
        label="Year",
        uncovered=meeting_choices.session_years_uncovered,
    )
    meeting = FacetFilter(
        field_name="meeting__slug",
        choices=meeting_choices.meetings,
        label="Meeting",
        uncovered=meeting_choices.sessions_uncovered,
    )
    track = FacetFilter(field_name="roundtable__track", choices=Track.choices, label="Track")
    # Without the parameter the list is what was held; plans are one click away.
    stage = FacetFilter(
        field_name="roundtable__stage",
        choices=Stage.choices,
        label="Stage",
        absent=Q(roundtable__stage=Stage.HELD),
    )
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label="Theme")
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(Session), label="Tag")
    sort = django_filters.OrderingFilter(
        fields=(("meeting__year", "year"), ("number", "number"), ("title", "title")),
        label="Sort",
        empty_label="Source order",
    )

    class Meta:
        model = Session
        fields = []
