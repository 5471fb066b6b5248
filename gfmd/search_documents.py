"""What each kind of record puts in its search document (lib.search), declared once, here.

Each builder takes one record, fetched with what it needs by its queryset,
and returns the fields of its gfmd.SearchDocument. `depends` names the
records whose documents show something of another model: a roundtable's
track is in its sessions' documents, an objective's text in its activity's.
"""

from django.db.models import Prefetch

from gfmd.models import SourceDocument
from lib import search
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, SubActivity
from sessions.models import Event, Meeting, Session
from themes.models import Theme


def joined(*parts):
    return "\n".join(part for part in parts if part)


def meeting_fields(meeting):
    return {"year": meeting.year, "meeting": meeting.slug, "meeting_label": f"GFMD {meeting.year}, {meeting.city}"}


def theme_pks(record):
    return [theme.pk for theme in record.themes.all()]


def event_of(record):
    """The other event a point belongs to: its points are not the meeting's."""
    event = getattr(record, "event", None)
    return event.title[:200] if event else ""


def session_document(session):
    roundtable = session.roundtable
    return {
        "url": session.get_absolute_url(),
        "label": session.heading,
        "title": session.title,
        "body": joined(session.discussion, session.co_chairs),
        **meeting_fields(session.meeting),
        "track": roundtable.track,
        "roundtable": roundtable.label,
        "stage": getattr(session, "stage", None) or roundtable.stage,
        "event": event_of(session),
        "themes": theme_pks(session),
    }


def recommendation_document(recommendation):
    number = f" {recommendation.number}" if recommendation.number else ""
    label = f"{recommendation.get_kind_display()}{number}, GFMD {recommendation.meeting.year}"
    if recommendation.group_heading:
        label += f": {recommendation.group_heading}"
    roundtable = recommendation.roundtable
    return {
        "url": recommendation.get_absolute_url(),
        "label": label,
        "title": recommendation.group_heading,
        # Lettered sub-points belong to their numbered recommendation: one document holds them all.
        "body": joined(recommendation.text, *(child.text for child in recommendation.children.all())),
        **meeting_fields(recommendation.meeting),
        "track": recommendation.track,
        "roundtable": roundtable.label if roundtable else "",
        "record_kind": recommendation.get_kind_display(),
        "stage": getattr(recommendation, "stage", None) or (roundtable.stage if roundtable else "held"),
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


def meeting_document(meeting):
    return {
        "url": meeting.get_absolute_url(),
        "label": f"GFMD {meeting.year}, {meeting.city}",
        "names": joined(meeting.city, meeting.country, str(meeting.year), "GFMD"),
        "title": meeting.overarching_theme,
        "body": joined(meeting.summary, meeting.chair),
        **meeting_fields(meeting),
    }


def gmg_member_document(member):
    return {
        "url": member.get_absolute_url(),
        "label": f"{member.name} ({member.acronym})",
        "names": joined(member.acronym, member.name),
    }


def theme_document(theme):
    return {
        "url": theme.get_absolute_url(),
        "label": theme.name,
        "names": theme.name,
        "body": theme.description,
        "themes": [theme.pk],
    }


def event_document(event):
    return {
        "url": event.get_absolute_url(),
        "label": event.title,
        "names": joined(event.title, event.place),
        "body": joined(event.summary, event.organiser, event.when),
        **meeting_fields(event.meeting),
    }


def source_document(source):
    return {
        "url": source.get_absolute_url(),
        "label": source.title,
        "names": source.title,
        "body": joined(source.issuer, source.description),
    }


def register():
    # Entities first: the order of the type facet.
    search.register(
        "meeting",
        priority=5,
        model="gfmd_sessions.Meeting",
        label="Meeting",
        plural="Meetings",
        queryset=Meeting.objects.all,
        build=meeting_document,
    )
    search.register(
        "gmg_member",
        priority=4,
        model="recommendations.GMGMember",
        label="GMG member",
        plural="GMG members",
        queryset=GMGMember.objects.all,
        build=gmg_member_document,
    )
    search.register(
        "theme",
        priority=3,
        model="themes.Theme",
        label="Theme",
        plural="Themes",
        queryset=Theme.objects.all,
        build=theme_document,
    )
    search.register(
        "event",
        priority=2,
        model="gfmd_sessions.Event",
        label="Other event",
        plural="Other events",
        queryset=lambda: Event.objects.select_related("meeting"),
        build=event_document,
    )
    search.register(
        "source",
        priority=1,
        model="gfmd.SourceDocument",
        label="Source document",
        plural="Source documents",
        queryset=SourceDocument.objects.all,
        build=source_document,
    )
    search.register(
        "session",
        model="gfmd_sessions.Session",
        label="Session",
        plural="Sessions",
        queryset=lambda: Session.objects.select_related("meeting", "roundtable").prefetch_related("themes"),
        build=session_document,
    )
    search.register(
        "recommendation",
        model="recommendations.Recommendation",
        label="Recommendation",
        plural="Recommendations",
        queryset=lambda: Recommendation.objects.select_related("meeting", "roundtable", "event").prefetch_related(
            "themes", Prefetch("children", queryset=Recommendation.objects.order_by("position"))
        ),
        build=recommendation_document,
    )
    search.register(
        "activity",
        model="recommendations.ProposedActivity",
        label="GMG proposed activity",
        plural="GMG proposed activities",
        queryset=lambda: ProposedActivity.objects.select_related("section__roundtable__meeting").prefetch_related(
            "themes",
            Prefetch("sub_activities", queryset=SubActivity.objects.order_by("position")),
            Prefetch("objectives", queryset=Objective.objects.order_by("position")),
        ),
        build=activity_document,
    )

    search.depends("gfmd_sessions.Meeting", meeting_dependents)
    search.depends(
        "gfmd_sessions.Event",
        lambda event: [("recommendation", pk) for pk in event.points.values_list("pk", flat=True)],
    )
    search.depends("gfmd_sessions.Roundtable", roundtable_dependents)
    search.depends("recommendations.Section", lambda section: activities(section=section.pk))
    search.depends("recommendations.Recommendation", lambda r: [("recommendation", r.parent_id)])
    search.depends("recommendations.SubActivity", lambda row: [("activity", row.activity_id)])
    search.depends("recommendations.Objective", lambda row: [("activity", row.activity_id)])


def activities(**lookup):
    return [("activity", pk) for pk in ProposedActivity.objects.filter(**lookup).values_list("pk", flat=True)]


def meeting_dependents(meeting):
    return [
        *(("session", pk) for pk in Session.objects.filter(meeting=meeting.pk).values_list("pk", flat=True)),
        *(
            ("recommendation", pk)
            for pk in Recommendation.objects.filter(meeting=meeting.pk).values_list("pk", flat=True)
        ),
        *activities(section__roundtable__meeting=meeting.pk),
    ]


def roundtable_dependents(roundtable):
    return [
        *(("session", pk) for pk in Session.objects.filter(roundtable=roundtable.pk).values_list("pk", flat=True)),
        *(
            ("recommendation", pk)
            for pk in Recommendation.objects.filter(roundtable=roundtable.pk).values_list("pk", flat=True)
        ),
        *activities(section__roundtable=roundtable.pk),
    ]
