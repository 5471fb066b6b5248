import django_filters
from django.db.models import Q

from lib.caching import per_revision
from lib.choices import tags_of
from lib.listing import FacetedFilterSet, FacetFilter
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions import choices as meeting_choices
from sessions.models import Stage, Track
from themes import choices as theme_choices


@per_revision
def roundtable_numbers():
    from recommendations.models import Section

    numbers = Section.objects.order_by("roundtable__number").values_list("roundtable__number", flat=True).distinct()
    return [(n, f"Roundtable {n}") for n in numbers]


@per_revision
def section_letters():
    from recommendations.models import Section

    letters = Section.objects.order_by("letter").values_list("letter", flat=True).distinct()
    return [(letter, f"Section {letter}") for letter in letters]


@per_revision
def gmg_members():
    return [(m.acronym, m.name) for m in GMGMember.objects.with_activities()]


class RecommendationFilter(FacetedFilterSet):
    year = FacetFilter(
        field_name="meeting__year",
        choices=meeting_choices.meeting_years,
        label="Year",
        uncovered=meeting_choices.recommendation_years_uncovered,
    )
    meeting = FacetFilter(
        field_name="meeting__slug",
        choices=meeting_choices.meetings,
        label="Meeting",
        uncovered=meeting_choices.recommendations_uncovered,
    )
    track = FacetFilter(field_name="track", choices=Track.choices, label="Track")
    kind = FacetFilter(field_name="kind", choices=Recommendation.Kind.choices, label="Kind")
    # Without these parameters the list is the meetings' own points as held: plans, drafts and the
    # points of other events reported beside a meeting are one click away, never counted as its outcomes.
    # Other events' points have no stage: the event facet's default, not this one's, leaves them out.
    stage = FacetFilter(field_name="stage", choices=Stage.choices, label="Stage", absent=~Q(stage=Stage.PLANNED))
    event = FacetFilter(
        field_name="event__slug",
        choices=meeting_choices.events,
        label="Other event reported alongside",
        absent=Q(event__isnull=True),
    )
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label="Theme")
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(Recommendation), label="Tag")
    sort = django_filters.OrderingFilter(fields=(("meeting__year", "year"),), label="Sort", empty_label="Source order")

    class Meta:
        model = Recommendation
        fields = []


class ActivityFilter(FacetedFilterSet):
    gmg_member = FacetFilter(field_name="gmg_members__acronym", choices=gmg_members, label="GMG member")
    roundtable = FacetFilter(field_name="section__roundtable__number", choices=roundtable_numbers, label="Roundtable")
    section = FacetFilter(field_name="section__letter", choices=section_letters, label="Section")
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label="Theme")
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(ProposedActivity), label="Tag")

    class Meta:
        model = ProposedActivity
        fields = []
