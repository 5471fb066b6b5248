"""Write the database back as content fixtures (docs/fixtures.md), which load_gfmd reads.

One file each for sources, themes, GMG members and meetings, and one content
file per meeting. Loading the files into an empty database gives the same
records; positions are written as the order of the items, as the loader counts them.
"""

from pathlib import Path

import yaml
from django.db.models import Prefetch

from gfmd.models import SourceDocument
from recommendations.models import GMGMember, Section
from sessions.models import Meeting, Passage, Roundtable, Session, Stage
from themes.models import Theme


class FixtureDumper(yaml.SafeDumper):
    pass


def represent_text(dumper, value):
    # Block style keeps paragraphs readable, as the hand-written files are.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


FixtureDumper.add_representer(str, represent_text)


def optional(item, **values):
    """Add the values that are set: the loader leaves out what a file does not give."""
    for key, value in values.items():
        if value not in ("", None, []):
            item[key] = value
    return item


def provenance(record, item, inherited_source=None):
    if record.source.slug != inherited_source:
        item["source"] = record.source.slug
    return optional(
        item,
        source_location=record.source_location,
        other_sources=sorted(s.slug for s in record.other_sources.all()),
        editorial_note=record.editorial_note,
    )


def browsing(record, item):
    return optional(item, themes=[t.slug for t in record.themes.all()], tags=sorted(record.tags.names()))


def source_item(source):
    item = {"slug": source.slug, "title": source.title}
    optional(item, issuer=source.issuer, date=source.date)
    item["kind"] = source.kind
    return optional(item, url=source.url, description=source.description)


def meeting_item(meeting):
    item = {"slug": meeting.slug, "ordinal": meeting.ordinal, "year": meeting.year}
    optional(
        item,
        city=meeting.city,
        country=meeting.country,
        chair=meeting.chair,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        civil_society_start_date=meeting.civil_society_start_date,
        civil_society_end_date=meeting.civil_society_end_date,
        overarching_theme=meeting.overarching_theme,
        summary=meeting.summary,
    )
    # Coverage is written even at its default, so that a file says what its meeting's sources give.
    item["sessions_coverage"] = meeting.sessions_coverage
    optional(item, sessions_held=meeting.sessions_held)
    item["recommendations_coverage"] = meeting.recommendations_coverage
    optional(item, coverage_note=meeting.coverage_note)
    return provenance(meeting, item)


def session_item(session):
    item = optional({}, number=session.number, title=session.title)
    # Without a number the loader finds a session by its slug.
    if not session.number or session.slug != session.default_slug():
        item["slug"] = session.slug
    optional(item, discussion=session.discussion, co_chairs=session.co_chairs)
    held = session.held_as
    # The loader finds the held session by number among the held sessions of the same track.
    findable = held and held.number and held.roundtable.stage == Stage.HELD
    if findable and held.roundtable.track == session.roundtable.track:
        item["held_as"] = held.number
    return browsing(session, provenance(session, item))


def activity_item(activity):
    item = {"text": activity.text}
    optional(
        item,
        sub_activities=[s.text for s in activity.sub_activities.order_by("position")],
        objectives=[o.text for o in activity.objectives.order_by("position")],
        gmg_members=[m.acronym for m in activity.gmg_members.order_by("acronym")],
    )
    return browsing(activity, provenance(activity, item))


def section_item(section):
    item = provenance(section, {"letter": section.letter, "title": section.title})
    activities = section.activities.order_by("position")
    return optional(item, activities=[activity_item(a) for a in activities])


def roundtable_item(roundtable):
    item = {"number": roundtable.number, "track": roundtable.track, "stage": roundtable.stage, "kind": roundtable.kind}
    optional(item, title=roundtable.title, group_heading=roundtable.group_heading, summary=roundtable.summary)
    browsing(roundtable, provenance(roundtable, item))
    sessions = sorted(roundtable.sessions.all(), key=lambda s: (s.number, s.pk))
    return optional(
        item,
        sessions=[session_item(s) for s in sessions],
        sections=[section_item(s) for s in roundtable.sections.order_by("letter")],
    )


def recommendation_item(recommendation):
    item = {"kind": recommendation.kind, "track": recommendation.track}
    roundtable = recommendation.roundtable
    if roundtable is not None:
        item["roundtable"] = roundtable.number
        if roundtable.stage != Stage.HELD:
            item["roundtable_stage"] = roundtable.stage
        if roundtable.kind != Roundtable.Kind.ROUNDTABLE:
            item["roundtable_kind"] = roundtable.kind
    if recommendation.session is not None:
        item["session"] = recommendation.session.number or recommendation.session.slug
    # A planned roundtable already makes its points planned.
    if recommendation.stage != Stage.HELD and (roundtable is None or roundtable.stage == Stage.HELD):
        item["stage"] = recommendation.stage
    if recommendation.event is not None:
        item["event"] = recommendation.event.slug
    optional(item, number=recommendation.number)
    if recommendation.number_restored:
        item["number_restored"] = True
    optional(item, group_heading=recommendation.group_heading)
    item["text"] = recommendation.text
    browsing(recommendation, provenance(recommendation, item))
    twin = recommendation.also_reported_as
    if twin is not None:
        item["also_reported_as"] = {"source": twin.source.slug, "source_location": twin.source_location}
    children = [child_item(child, recommendation) for child in recommendation.children.order_by("position", "pk")]
    return optional(item, children=children)


def child_item(child, parent):
    item = optional({}, number=child.number)
    if child.number_restored:
        item["number_restored"] = True
    if child.group_heading != parent.group_heading:
        item["group_heading"] = child.group_heading
    item["text"] = child.text
    provenance(child, item, inherited_source=parent.source.slug)
    themes = [t.slug for t in child.themes.all()]
    if set(themes) != {t.slug for t in parent.themes.all()}:
        item["themes"] = themes
    return optional(item, tags=sorted(child.tags.names()))


def event_item(event):
    item = {"slug": event.slug, "title": event.title}
    optional(item, when=event.when, place=event.place, organiser=event.organiser, summary=event.summary)
    return provenance(event, item)


def passage_item(passage, with_meeting=False):
    item = {"meeting": passage.meeting.slug} if with_meeting and passage.meeting else {}
    optional(item, heading=passage.heading)
    item["text"] = passage.text
    item["source"] = passage.source.slug
    item["source_location"] = passage.source_location
    return optional(
        item,
        other_sources=sorted(s.slug for s in passage.other_sources.all()),
        editorial_note=passage.editorial_note,
    )


def milestone_item(milestone):
    return provenance(milestone, {"when": milestone.when, "text": milestone.text})


def meeting_content(meeting):
    roundtables = (
        meeting.roundtables.order_by("track", "stage", "kind", "number")
        .select_related("source")
        .prefetch_related(
            "themes",
            "other_sources",
            Prefetch("sessions", Session.objects.select_related("source", "roundtable", "held_as__roundtable")),
            Prefetch("sections", Section.objects.select_related("source")),
        )
    )
    recommendations = (
        meeting.recommendations.filter(parent=None)
        .select_related("source", "roundtable", "session", "event", "also_reported_as__source")
        .order_by(
            "track",
            "roundtable__stage",
            "roundtable__kind",
            "roundtable__number",
            "session_id",
            "kind",
            "position",
            "pk",
        )
    )
    content = {"meeting": meeting.slug}
    return optional(
        content,
        events=[event_item(e) for e in meeting.events.order_by("slug")],
        roundtables=[roundtable_item(r) for r in roundtables],
        recommendations=[recommendation_item(r) for r in recommendations],
        milestones=[milestone_item(m) for m in meeting.milestones.order_by("position")],
        passages=[passage_item(p) for p in meeting.passages.order_by("position")],
    )


def export_files():
    """File name -> the data it holds."""
    files = {
        "sources.yaml": {"sources": [source_item(s) for s in SourceDocument.objects.order_by("slug")]},
        "themes.yaml": {
            "themes": [
                {"slug": t.slug, "name": t.name, "description": t.description}
                for t in Theme.objects.order_by("position", "name")
            ]
        },
        "gmg-members.yaml": {
            "gmg_members": [
                optional({"acronym": m.acronym, "name": m.name}, url=m.url)
                for m in GMGMember.objects.order_by("acronym")
            ]
        },
    }
    meetings = list(Meeting.objects.order_by("year").select_related("source").prefetch_related("other_sources"))
    files["meetings.yaml"] = {"meetings": [meeting_item(m) for m in meetings]}
    for meeting in meetings:
        files[f"{meeting.slug}.yaml"] = meeting_content(meeting)
    context = Passage.objects.filter(meeting=None).order_by("source__slug", "position")
    if context.exists():
        files["passages.yaml"] = {"passages": [passage_item(p) for p in context]}
    return files


def write_fixtures(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export_files().items():
        text = yaml.dump(data, Dumper=FixtureDumper, sort_keys=False, allow_unicode=True, width=100)
        (directory / name).write_text(text, encoding="utf-8")
        written.append(name)
    return written
