"""What recommendations, GMG members and proposed activities put in their search documents (lib.search).

Each builder takes one record, fetched with what it needs by its queryset, and
returns the fields of its search document. `depends` names the records whose
documents show something of another: a meeting's name is in its points'
documents, an objective's text in its activity's.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from lib import search, vocabulary
from lib.models import LINK_WORDS
from lib.search.registry import joined
from recommendations.models import (
    LINK_ENDS,
    GMGMember,
    Link,
    Objective,
    ProposedActivity,
    Recommendation,
    Section,
    SubActivity,
)
from sessions.models import Event, Meeting, Roundtable
from sessions.search_documents import TAGS, event_of, meeting_fields, place_fields, tag_names
from themes.models import Theme
from themes.search_documents import theme_pks, theme_words


def gmg_member_document(member):
    return {
        "url": member.get_absolute_url(),
        "label": f"{member.name} ({member.acronym})",
        # Its acronym as each language writes it (OIM) and its name in each: a reader searches in their own.
        "names": joined(member.acronym, *agency_words(member)),
    }


def agency_words(member):
    """An agency's abbreviations and names in every language, each once."""
    return [*vocabulary.all_languages(member, "abbreviation"), *vocabulary.all_languages(member, "name")]


def agency_translations(member):
    return [*vocabulary.translations(member, "abbreviation"), *vocabulary.translations(member, "name")]


def recommendation_label(recommendation):
    """ "Recommendation 8, GFMD 2007"; a sub-point is titled by its parent: "Point b of recommendation 8, ..."."""
    kind = recommendation.get_kind_display()
    parent = recommendation.parent
    if parent is not None:
        point = f"Point {recommendation.number}" if recommendation.number else "Point"
        label = f"{point} of {kind[0].lower()}{kind[1:]}{f' {parent.number}' if parent.number else ''}"
    else:
        label = f"{kind} {recommendation.number}" if recommendation.number else kind
    # Another event's point is that event's, not the GFMD meeting's it was reported beside.
    event = recommendation.event
    label += f", {event.title}" if event else f", GFMD {recommendation.meeting.year}"
    heading = recommendation.group_heading or (parent.group_heading if parent is not None else "")
    return f"{label}: {heading}" if heading else label


def recommendation_document(recommendation):
    roundtable = recommendation.roundtable
    parent = recommendation.parent
    return {
        "url": recommendation.get_absolute_url(),
        "label": recommendation_label(recommendation)[:400],
        "title": joined(
            recommendation.group_heading or (parent.group_heading if parent is not None else ""),
            tag_names(recommendation),
        ),
        # Lettered sub-points belong to their numbered recommendation: one document holds them all; a sub-point's
        # own document says what it is a point of.
        "body": joined(
            parent.text if parent is not None else "",
            recommendation.text,
            *(child.text for child in recommendation.children.all()),
            recommendation.editorial_note,
            recommendation.link_words,
            theme_words(recommendation),
        ),
        # The source's words alone: the related records are found by them, not by our notes or tags.
        # Its own words first: the related records' panel shows their beginning.
        "wording": joined(
            recommendation.text,
            *(child.text for child in recommendation.children.all()),
            parent.text if parent is not None else "",
            recommendation.group_heading or (parent.group_heading if parent is not None else ""),
        ),
        **place_fields(recommendation, recommendation.meeting),
        # Another event's point is the event's: no meeting, year, track or stage of the Forum.
        "track": "" if recommendation.event_id else recommendation.track,
        "roundtable": roundtable.label if roundtable else "",
        "record_kind": recommendation.kind,
        "stage": "" if recommendation.event_id else recommendation.stage,
        "event": event_of(recommendation),
        "themes": theme_pks(recommendation),
    }


def activity_document(activity):
    section = activity.section
    roundtable = section.roundtable
    return {
        "url": activity.get_absolute_url(),
        "label": f"GMG proposed activity, Roundtable {roundtable.number}, section {section.letter}",
        "title": joined(section.title, tag_names(activity)),
        "body": joined(
            activity.text,
            *(row.text for row in activity.sub_activities.all()),
            *(row.text for row in activity.objectives.all()),
            activity.link_words,
            theme_words(activity),
            # The agencies with expertise for it, as French and Spanish name them: OIM finds IOM's activities.
            *(word for member in activity.gmg_members.all() for word in agency_translations(member)),
        ),
        "wording": joined(
            activity.text,
            *(row.text for row in activity.sub_activities.all()),
            *(row.text for row in activity.objectives.all()),
            section.title,
        ),
        **meeting_fields(roundtable.meeting),
        "track": roundtable.track,
        "roundtable": roundtable.label,
        "stage": roundtable.stage,
        "themes": theme_pks(activity),
    }


def recommendations_queryset():
    return Recommendation.objects.select_related("meeting", "roundtable", "event__meeting", "parent").prefetch_related(
        "themes", TAGS, Prefetch("children", queryset=Recommendation.objects.order_by("position")), *LINK_WORDS
    )


def activities_queryset():
    return ProposedActivity.objects.select_related("section__roundtable__meeting").prefetch_related(
        "themes",
        TAGS,
        Prefetch("sub_activities", queryset=SubActivity.objects.order_by("position")),
        Prefetch("objectives", queryset=Objective.objects.order_by("position")),
        "gmg_members",
        *LINK_WORDS,
    )


def register():
    search.register(
        "gmg_member",
        priority=4,
        model=GMGMember,
        label=_("GMG member"),
        plural=_("GMG members"),
        queryset=GMGMember.objects.all,
        build=gmg_member_document,
    )
    search.register(
        "recommendation",
        model=Recommendation,
        label=_("Recommendation"),
        plural=_("Recommendations"),
        queryset=recommendations_queryset,
        build=recommendation_document,
        related=True,
        record_kinds=lambda: Recommendation.Kind.choices,
    )
    search.register(
        "activity",
        model=ProposedActivity,
        label=_("GMG proposed activity"),
        plural=_("GMG proposed activities"),
        queryset=activities_queryset,
        build=activity_document,
        related=True,
    )
    search.depends(
        Meeting, lambda meeting: points(meeting=meeting.pk) + activities(section__roundtable__meeting=meeting.pk)
    )
    search.depends(
        Roundtable, lambda roundtable: points(roundtable=roundtable.pk) + activities(section__roundtable=roundtable.pk)
    )
    search.depends(Event, lambda event: points(event=event.pk))
    # A theme's names are in its records' documents, an agency's names in its activities'.
    search.depends(Theme, lambda theme: points(themes=theme.pk) + activities(themes=theme.pk))
    search.depends(GMGMember, lambda member: activities(gmg_members=member.pk))
    search.depends(Section, lambda section: activities(section=section.pk))
    # A point's text is in its parent's document, and a parent's number, heading and text in its sub-points'.
    search.depends(
        Recommendation,
        lambda point: [("recommendation", point.parent_id)] + points(parent=point.pk),
    )
    search.depends(SubActivity, lambda row: [("activity", row.activity_id)])
    search.depends(Objective, lambda row: [("activity", row.activity_id)])
    # A link's note and quote are in the documents of the two records it joins.
    search.depends(Link, linked_documents)


def linked_documents(link):
    """The documents of the records a link joins: each kind of record a link joins is a kind of document."""
    ends = [(kind, getattr(link, f"{end}_{kind}_id")) for end in ("from", "to") for kind in LINK_ENDS]
    return [(kind, pk) for kind, pk in ends if pk]


def points(**lookup):
    return [("recommendation", pk) for pk in Recommendation.objects.filter(**lookup).values_list("pk", flat=True)]


def activities(**lookup):
    return [("activity", pk) for pk in ProposedActivity.objects.filter(**lookup).values_list("pk", flat=True)]
