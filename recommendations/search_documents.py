"""What recommendations, GMG members and proposed activities put in their search documents (lib.search).

Each builder takes one record, fetched with what it needs by its queryset, and
returns the fields of its search document. `depends` names the records whose
documents show something of another: a meeting's name is in its points'
documents, an objective's text in its activity's.
"""

from django.db.models import Prefetch

from lib import search
from lib.search.registry import joined
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Event, Meeting, Roundtable
from sessions.search_documents import event_of, meeting_fields
from themes.search_documents import theme_pks


def gmg_member_document(member):
    return {
        "url": member.get_absolute_url(),
        "label": f"{member.name} ({member.acronym})",
        "names": joined(member.acronym, member.name),
    }


def recommendation_document(recommendation):
    number = f" {recommendation.number}" if recommendation.number else ""
    # Another event's point is the event's: no meeting, year, track or stage of the Forum.
    event = recommendation.event
    whose = event.title if event else f"GFMD {recommendation.meeting.year}"
    label = f"{recommendation.get_kind_display()}{number}, {whose}"
    if recommendation.group_heading:
        label += f": {recommendation.group_heading}"
    roundtable = recommendation.roundtable
    return {
        "url": recommendation.get_absolute_url(),
        "label": label,
        "title": recommendation.group_heading,
        # Lettered sub-points belong to their numbered recommendation: one document holds them all.
        "body": joined(recommendation.text, *(child.text for child in recommendation.children.all())),
        **(meeting_fields(recommendation.meeting) if recommendation.meeting else {}),
        "track": recommendation.track,
        "roundtable": roundtable.label if roundtable else "",
        "record_kind": recommendation.get_kind_display(),
        "stage": "" if event else recommendation.stage,
        "event": event_of(recommendation),
        "themes": theme_pks(recommendation),
    }


def activity_document(activity):
    section = activity.section
    roundtable = section.roundtable
    return {
        "url": activity.get_absolute_url(),
        "label": f"GMG proposed activity, Roundtable {roundtable.number}, section {section.letter}",
        "title": section.title,
        "body": joined(
            activity.text,
            *(row.text for row in activity.sub_activities.all()),
            *(row.text for row in activity.objectives.all()),
        ),
        **meeting_fields(roundtable.meeting),
        "track": roundtable.track,
        "roundtable": roundtable.label,
        "stage": roundtable.stage,
        "themes": theme_pks(activity),
    }


def recommendations_queryset():
    return Recommendation.objects.select_related("meeting", "roundtable", "event").prefetch_related(
        "themes", Prefetch("children", queryset=Recommendation.objects.order_by("position"))
    )


def activities_queryset():
    return ProposedActivity.objects.select_related("section__roundtable__meeting").prefetch_related(
        "themes",
        Prefetch("sub_activities", queryset=SubActivity.objects.order_by("position")),
        Prefetch("objectives", queryset=Objective.objects.order_by("position")),
    )


def register():
    search.register(
        "gmg_member",
        priority=4,
        model=GMGMember,
        label="GMG member",
        plural="GMG members",
        queryset=GMGMember.objects.all,
        build=gmg_member_document,
    )
    search.register(
        "recommendation",
        model=Recommendation,
        label="Recommendation",
        plural="Recommendations",
        queryset=recommendations_queryset,
        build=recommendation_document,
    )
    search.register(
        "activity",
        model=ProposedActivity,
        label="GMG proposed activity",
        plural="GMG proposed activities",
        queryset=activities_queryset,
        build=activity_document,
    )
    search.depends(
        Meeting, lambda meeting: points(meeting=meeting.pk) + activities(section__roundtable__meeting=meeting.pk)
    )
    search.depends(
        Roundtable, lambda roundtable: points(roundtable=roundtable.pk) + activities(section__roundtable=roundtable.pk)
    )
    search.depends(Event, lambda event: points(event=event.pk))
    search.depends(Section, lambda section: activities(section=section.pk))
    search.depends(Recommendation, lambda point: [("recommendation", point.parent_id)])
    search.depends(SubActivity, lambda row: [("activity", row.activity_id)])
    search.depends(Objective, lambda row: [("activity", row.activity_id)])


def points(**lookup):
    return [("recommendation", pk) for pk in Recommendation.objects.filter(**lookup).values_list("pk", flat=True)]


def activities(**lookup):
    return [("activity", pk) for pk in ProposedActivity.objects.filter(**lookup).values_list("pk", flat=True)]
