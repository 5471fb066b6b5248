from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.choices import tags_of
from lib.listing import FacetedFilterSet, FacetFilter, Ordering
from sessions import choices as meeting_choices
from sessions.coverage import MeetingCoverage
from sessions.models import Session, Stage, Track
from themes import choices as theme_choices


class SessionFilter(MeetingCoverage, FacetedFilterSet):
    coverage_kind = "sessions"

    year = FacetFilter(field_name="meeting__year", choices=meeting_choices.meeting_years, label=_("Year"))
    meeting = FacetFilter(field_name="meeting__slug", choices=meeting_choices.meetings, label=_("Meeting"))
    track = FacetFilter(field_name="roundtable__track", choices=Track.choices, label=_("Track"))
    # Without the parameter the list is what was held; plans are one click away.
    stage = FacetFilter(
        field_name="roundtable__stage",
        choices=Stage.choices,
        label=_("Stage"),
        absent=Q(roundtable__stage=Stage.HELD),
        default=Stage.HELD.value,
        default_note="Without stage: the sessions held, not those a concept paper planned.",
    )
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label=_("Theme"))
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(Session), label=_("Tag"), quoted=True)
    sort = Ordering(
        fields=(("meeting__year", "year"), ("number", "number"), ("title", "title")),
        # The labels django-filter would make of the parameters, in the reader's language.
        field_labels={"meeting__year": _("Year"), "number": _("Number"), "title": _("Title")},
        label=_("Sort"),
        empty_label=_("Source order"),
    )

    class Meta:
        model = Session
        fields = []
