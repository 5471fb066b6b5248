"""What meetings, other events and sessions put in their search documents (lib.search).

Each builder takes one record, fetched with what it needs by its queryset, and
returns the fields of its search document. `depends` names the records whose
documents show something of another: a roundtable's track is in its sessions'
documents.
"""

from lib import search
from lib.search.registry import joined
from sessions.models import Event, Meeting, Roundtable, Session
from themes.search_documents import theme_pks


def meeting_fields(meeting):
    return {"year": meeting.year, "meeting": meeting.slug, "meeting_label": f"GFMD {meeting.year}, {meeting.city}"}


def event_of(record):
    """The slug of the other event a point belongs to: its points are not the meeting's."""
    event = getattr(record, "event", None)
    return event.slug if event else ""


def meeting_document(meeting):
    return {
        "url": meeting.get_absolute_url(),
        "label": f"GFMD {meeting.year}, {meeting.city}",
        "names": joined(meeting.city, meeting.country, str(meeting.year), "GFMD"),
        "title": meeting.overarching_theme,
        "body": joined(meeting.summary, meeting.chair),
        **meeting_fields(meeting),
    }


def event_document(event):
    return {
        "url": event.get_absolute_url(),
        "label": event.title,
        "names": joined(event.title, event.place),
        "body": joined(event.summary, event.organiser, event.when),
        **meeting_fields(event.meeting),
    }


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


def register():
    search.register(
        "meeting",
        priority=5,
        model=Meeting,
        label="Meeting",
        plural="Meetings",
        queryset=Meeting.objects.all,
        build=meeting_document,
    )
    search.register(
        "event",
        priority=2,
        model=Event,
        label="Other event",
        plural="Other events",
        queryset=lambda: Event.objects.select_related("meeting"),
        build=event_document,
    )
    search.register(
        "session",
        model=Session,
        label="Session",
        plural="Sessions",
        queryset=lambda: Session.objects.select_related("meeting", "roundtable").prefetch_related("themes"),
        build=session_document,
    )
    search.depends(Meeting, lambda meeting: sessions(meeting=meeting.pk))
    search.depends(Roundtable, lambda roundtable: sessions(roundtable=roundtable.pk))


def sessions(**lookup):
    return [("session", pk) for pk in Session.objects.filter(**lookup).values_list("pk", flat=True)]
