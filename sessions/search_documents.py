"""What meetings, other events, roundtables, sessions, passages and milestones put in their search documents.

Each builder takes one record (in English, whatever the language of the editor whose save rewrites it: a
document is stored once for every reader), fetched with what it needs by its queryset, and
returns the fields of its search document: every text its page shows of it
(its tags and editorial note too). `depends` names the records whose
documents show something of another: a roundtable's track is in its sessions'
documents.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from lib import search, vocabulary
from lib.models import LINK_WORDS, configured_model
from lib.search.registry import joined
from sessions.models import Event, Meeting, Milestone, Passage, Roundtable, Session
from themes.models import Theme
from themes.search_documents import theme_pks, theme_words

TAGS = Prefetch("tags", to_attr="tag_list")


def tag_names(record):
    """A record's tags, prefetched as `tag_list` by its queryset: words a reader may search for."""
    return joined(*sorted(tag.name for tag in record.tag_list))


def meeting_fields(meeting):
    return {"year": meeting.year, "meeting": meeting.slug, "meeting_label": f"GFMD {meeting.year}, {meeting.city}"}


def event_of(record):
    """The other event a point belongs to (its slug): its points are not the meeting's."""
    event = getattr(record, "event", None)
    return event.slug if event else ""


def place_fields(record, meeting):
    """The meeting a record belongs to; for another event's point, which belongs to no meeting, the event,
    beside the meeting its source reports it beside."""
    event = getattr(record, "event", None)
    if event:
        return {"meeting_label": f"{event.title}, beside GFMD {event.meeting.year}"[:200]}
    return meeting_fields(meeting)


def meeting_document(meeting):
    return {
        "url": meeting.get_absolute_url(),
        "label": f"GFMD {meeting.year}, {meeting.city}",
        # Its place as each language writes it: Manille, Ginebra.
        "names": joined(
            *vocabulary.all_languages(meeting, "city"),
            *vocabulary.all_languages(meeting, "country"),
            str(meeting.year),
            "GFMD",
        ),
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


def roundtable_document(roundtable):
    return {
        "url": roundtable.get_absolute_url(),
        "label": f"{roundtable.label}: {roundtable.title}" if roundtable.title else roundtable.label,
        "title": joined(roundtable.title, roundtable.group_heading, tag_names(roundtable)),
        "body": joined(roundtable.summary, roundtable.editorial_note, theme_words(roundtable)),
        **meeting_fields(roundtable.meeting),
        "track": roundtable.track,
        "roundtable": roundtable.label,
        "stage": roundtable.stage,
        "themes": theme_pks(roundtable),
    }


def session_document(session):
    roundtable = session.roundtable
    return {
        "url": session.get_absolute_url(),
        "label": session.heading,
        "title": joined(session.title, tag_names(session)),
        "body": joined(
            session.discussion, session.co_chairs, session.editorial_note, session.link_words, theme_words(session)
        ),
        "wording": joined(session.title, session.discussion),
        **place_fields(session, session.meeting),
        "track": roundtable.track,
        "roundtable": roundtable.label,
        "stage": getattr(session, "stage", None) or roundtable.stage,
        "event": event_of(session),
        "themes": theme_pks(session),
    }


def passage_document(passage):
    """A passage of a source (a format, a proposal, a slide's context): on its meeting's page or its source's."""
    where = f"GFMD {passage.meeting.year}, {passage.meeting.city}" if passage.meeting_id else passage.source.title
    label = f"{passage.heading} ({where})" if passage.heading else f"Passage of {passage.source.title}"
    return {
        # Its own anchor on the page that shows it.
        "url": passage.get_absolute_url().partition("#")[0] + f"#passage-{passage.pk}",
        "label": label[:400],
        "title": passage.heading,
        "body": joined(passage.text, passage.editorial_note),
        **(meeting_fields(passage.meeting) if passage.meeting_id else {}),
    }


def milestone_document(milestone):
    return {
        "url": milestone.get_absolute_url().partition("#")[0] + f"#milestone-{milestone.pk}",
        "label": f"Milestone of GFMD {milestone.meeting.year}: {milestone.when}",
        "title": milestone.when,
        "body": joined(milestone.text, milestone.editorial_note),
        **meeting_fields(milestone.meeting),
    }


def register():
    search.register(
        "meeting",
        priority=5,
        model=Meeting,
        label=_("Meeting"),
        plural=_("Meetings"),
        queryset=Meeting.objects.all,
        build=meeting_document,
    )
    search.register(
        "event",
        priority=2,
        model=Event,
        label=_("Other event"),
        plural=_("Other events"),
        queryset=lambda: Event.objects.select_related("meeting"),
        build=event_document,
    )
    register_parts()
    register_dependents()


def register_parts():
    """A meeting's parts, and what its sources say around them."""
    search.register(
        "roundtable",
        model=Roundtable,
        label=_("Roundtable"),
        plural=_("Roundtables and clusters"),
        queryset=lambda: Roundtable.objects.select_related("meeting").prefetch_related("themes", TAGS),
        build=roundtable_document,
    )
    search.register(
        "session",
        model=Session,
        label=_("Session"),
        plural=_("Sessions"),
        queryset=lambda: Session.objects.select_related("meeting", "roundtable").prefetch_related(
            "themes", TAGS, *LINK_WORDS
        ),
        build=session_document,
        related=True,
    )
    search.register(
        "passage",
        model=Passage,
        label=_("Passage of a source"),
        plural=_("Passages of sources"),
        queryset=lambda: Passage.objects.select_related("meeting", "source"),
        build=passage_document,
    )
    search.register(
        "milestone",
        model=Milestone,
        label=_("Milestone"),
        plural=_("Milestones"),
        queryset=lambda: Milestone.objects.select_related("meeting"),
        build=milestone_document,
    )


def register_dependents():
    """The documents that show something of another record: a meeting's name is in its records' documents."""
    search.depends(
        Meeting,
        lambda meeting: (
            sessions(meeting=meeting.pk)
            + of_kind("roundtable", Roundtable, meeting=meeting.pk)
            + of_kind("passage", Passage, meeting=meeting.pk)
            + of_kind("milestone", Milestone, meeting=meeting.pk)
        ),
    )
    search.depends(Roundtable, lambda roundtable: sessions(roundtable=roundtable.pk))
    # A theme's names are in the documents of the records it is a theme of.
    search.depends(Theme, lambda theme: sessions(themes=theme.pk) + of_kind("roundtable", Roundtable, themes=theme.pk))
    source_model = configured_model("SOURCE_DOCUMENT_MODEL")
    search.depends(source_model, lambda source: of_kind("passage", Passage, source=source.pk))


def sessions(**lookup):
    return of_kind("session", Session, **lookup)


def of_kind(kind, model, **lookup):
    return [(kind, pk) for pk in model.objects.filter(**lookup).values_list("pk", flat=True)]
