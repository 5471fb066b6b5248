from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.caching import per_revision
from lib.choices import tags_of
from lib.listing import FacetedFilterSet, FacetFilter, Ordering
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions import choices as meeting_choices
from sessions.coverage import MeetingCoverage
from sessions.models import Stage, Track
from themes import choices as theme_choices


@per_revision
def matrix_roundtables():
    """The numbers of the roundtables the GMG matrices have sections of, kept as numbers: the labels are
    written in the reader's language."""
    from recommendations.models import Section

    return list(Section.objects.order_by("roundtable__number").values_list("roundtable__number", flat=True).distinct())


def roundtable_numbers():
    return [(n, gettext("Roundtable %(number)s") % {"number": n}) for n in matrix_roundtables()]


@per_revision
def section_titles():
    """[(roundtable number, letter, title)] of the sections of the GMG matrices, in order, each once: a
    letter's label names each roundtable's title once however many matrices repeat it."""
    from recommendations.models import Section

    return list(
        Section.objects.order_by("roundtable__number", "letter")
        .values_list("roundtable__number", "letter", "title")
        .distinct()
    )


def section_label(letter, sections, roundtables=None):
    """A section letter as a reader knows it: its title, or with several roundtables each one's, numbered.
    `sections`: section_titles()."""
    titles = [
        (number, title)
        for number, its_letter, title in sections
        if its_letter == letter and (not roundtables or str(number) in roundtables)
    ]
    if not titles and roundtables:
        return section_label(letter, sections)
    if len(titles) == 1:
        return f"{letter}. {titles[0][1]}"
    return f"{letter}. " + "; ".join(
        gettext("%(title)s (Roundtable %(number)s)") % {"title": title, "number": n} for n, title in titles
    )


def section_letters():
    sections = section_titles()
    return [(letter, section_label(letter, sections)) for letter in sorted({letter for _, letter, _ in sections})]


@per_revision
def gmg_members():
    """[(acronym, name)]: the name in the reader's language, or the English; the acronym is the value in
    every language."""
    return [(m.acronym, m.name) for m in GMGMember.objects.with_activities()]


class RecommendationFilter(MeetingCoverage, FacetedFilterSet):
    coverage_kind = "recommendations"

    year = FacetFilter(field_name="meeting__year", choices=meeting_choices.meeting_years, label=_("Year"))
    meeting = FacetFilter(field_name="meeting__slug", choices=meeting_choices.meetings, label=_("Meeting"))
    track = FacetFilter(field_name="track", choices=Track.choices, label=_("Track"))
    kind = FacetFilter(field_name="kind", choices=Recommendation.Kind.choices, label=_("Kind"))
    # Without these parameters the list is the meetings' own points as held: plans, drafts and the
    # points of other events reported beside a meeting are one click away, never counted as its outcomes.
    # Other events' points have no stage: the event facet's default, not this one's, leaves them out.
    stage = FacetFilter(
        field_name="stage",
        choices=Stage.choices,
        label=_("Stage"),
        absent=~Q(stage=Stage.PLANNED),
        default=Stage.HELD.value,
        default_note="Without stage: what was held, not plans or preparatory drafts.",
    )
    event = FacetFilter(
        field_name="event__slug",
        choices=meeting_choices.events,
        label=_("Other event reported alongside"),
        absent=Q(event__isnull=True),
        default=None,
        default_note="Without event: the meetings' own points, not those of other events reported beside them.",
    )
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label=_("Theme"))
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(Recommendation), label=_("Tag"), quoted=True)
    sort = Ordering(
        fields=(("meeting__year", "year"),),
        field_labels={"meeting__year": _("Year")},
        label=_("Sort"),
        empty_label=_("Source order"),
    )

    class Meta:
        model = Recommendation
        fields = []


class ActivityFilter(FacetedFilterSet):
    gmg_member = FacetFilter(field_name="gmg_members__acronym", choices=gmg_members, label=_("GMG member"))
    roundtable = FacetFilter(
        field_name="section__roundtable__number", choices=roundtable_numbers, label=_("Roundtable")
    )
    section = FacetFilter(field_name="section__letter", choices=section_letters, label=_("Section"), quoted=True)
    theme = FacetFilter(field_name="themes__slug", choices=theme_choices.themes, label=_("Theme"))
    tag = FacetFilter(field_name="tags__slug", choices=tags_of(ProposedActivity), label=_("Tag"), quoted=True)
    sort = Ordering(
        fields=(
            ("section__roundtable__number", "roundtable"),
            ("section__title", "section"),
            ("text", "text"),
        ),
        field_labels={
            "section__roundtable__number": _("Roundtable"),
            "section__title": _("Section title"),
            "text": _("Activity"),
        },
        label=_("Sort"),
        empty_label=_("Matrix order"),
    )

    def facet_counts(self, size=None):
        """The sections titled as the matrix titles them, for the roundtables chosen (or every roundtable)."""
        facets = super().facet_counts(size)
        chosen = self.form.cleaned_data.get("roundtable")
        if chosen:
            sections = section_titles()
            for value in facets["section"]:
                value["label"] = section_label(value["value"], sections, chosen)
        return facets

    class Meta:
        model = ProposedActivity
        fields = []
