from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Func, OuterRef, Prefetch, Q, Subquery, When, prefetch_related_objects
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from lib import citation, related, vocabulary
from lib.caching import cached_page, per_revision
from lib.counting import held
from lib.links import link_to
from lib.listing import API_FORMATS, LINKS, TAG_LIST, Column, FacetedList, joined, takes_formats
from lib.sources import attach_other_sources, attach_sources
from recommendations import hubs
from recommendations.models import AGENCIES_SHOWN, ProposedActivity, Recommendation
from sessions.coverage import coverage_json
from sessions.filters import SessionFilter
from sessions.models import Event, Meeting, Roundtable, Session, Stage, Track
from themes.models import Theme

# Numbered points with their lettered sub-points, in the source's order. The pages show each point's
# number, text and link, nothing of its source or session.
TOP_LEVEL = (
    Recommendation.objects.top_level()
    .prefetch_related(Prefetch("children", queryset=Recommendation.objects.order_by("position")))
    # The id breaks ties (two sessions' points 1 under one roundtable), so that both databases agree.
    .order_by("kind", "position", "pk")
)
# The same points as a meeting's and a session's pages list them (templates/includes/recommendation_items.html):
# the columns those show, not the sources, notes and keys of rows read by the hundred. Their sub-points
# are read by points_shown().
POINTS_SHOWN = (
    TOP_LEVEL.prefetch_related(None)
    .only(
        "meeting",
        "roundtable",
        "session",
        "track",
        "stage",
        "kind",
        "number",
        "number_restored",
        "group_heading",
        "text",
    )
    .with_also_reported_as()
)
# Ordered by the parent's id, not by the parent (which sorts by the point's meeting, track, roundtable...
# and joins three tables): each point's sub-points are handed to it in their order.
SUB_POINTS_SHOWN = Recommendation.objects.order_by("parent_id", "position").only(
    "parent", "number", "number_restored", "text"
)

# A meeting's sessions as its page lists them (heading, co-chairs, plan and outcome), and their discussions,
# which a roundtable whose summary is its sessions' words shows under each session.
SESSIONS_SHOWN = (
    Session.objects.order_by("number", "title")
    .only("roundtable", "slug", "number", "number_assigned", "title", "co_chairs", "discussion")
    .with_held_as()
)

# A session's page lists this many sessions of other meetings on its themes, with their meeting's year and city.
ELSEWHERE = 10
ELSEWHERE_SHOWN = Session.objects.only("meeting", "slug", "number", "number_assigned", "title")


SESSION_COLUMNS = [
    Column("id", "integer", lambda s: s.pk),
    Column("url", "string", lambda s: s.get_absolute_url(), format="uri-reference", description="The session's page."),
    Column("meeting_id", "integer", lambda s: s.meeting_id, json=False),
    Column("meeting", "string", lambda s: s.meeting.slug, description="The meeting's slug."),
    Column("meeting_label", "string", lambda s: f"{s.meeting.city} {s.meeting.year}", json=False),
    Column("year", "integer", lambda s: s.meeting.year),
    Column("track", "string", lambda s: s.roundtable.track),
    Column("roundtable_id", "integer", lambda s: s.roundtable_id, json=False),
    Column("roundtable", "integer", lambda s: s.roundtable.number),
    Column(
        "roundtable_number_assigned",
        "boolean",
        lambda s: s.roundtable.number_assigned,
        csv=lambda s: "yes" if s.roundtable.number_assigned else "",
        description="The roundtable's number is the knowledge base's reading: no source numbers it.",
    ),
    Column("number", "string", lambda s: s.number),
    Column(
        "number_assigned",
        "boolean",
        lambda s: s.number_assigned,
        csv=lambda s: "yes" if s.number_assigned else "",
        description="The session's number is the knowledge base's, not the source's (which letters it a), b)...).",
    ),
    Column("title", "string", lambda s: s.title),
    Column(
        "stage", "string", lambda s: s.roundtable.stage, description="held, or planned (as a concept paper planned it)."
    ),
    Column("roundtable_title", "string", lambda s: s.roundtable.title),
    Column("co_chairs", "string", lambda s: s.co_chairs),
    Column("themes", "array", lambda s: [t.slug for t in s.theme_list], description="Theme slugs."),
    Column("theme_labels", "string", lambda s: joined(s.theme_list, "name"), json=False),
    # The CSV has always given tags by name.
    Column("tags", "array", lambda s: [t.slug for t in s.tag_list], csv=lambda s: joined(s.tag_list, "name")),
    LINKS,
    Column("source", "string", lambda s: s.source.title, json=False),
    Column("source_location", "string", lambda s: s.source_location, json=False),
]

sessions_list = FacetedList(
    filterset_class=SessionFilter,
    # What the columns read: not the summaries of the meetings and roundtables, nor the sessions' discussions.
    queryset=Session.objects.select_related("meeting", "roundtable", "source")
    .only(
        *(
            "meeting",
            "roundtable",
            "number",
            "number_assigned",
            "slug",
            "title",
            "co_chairs",
            "source",
            "source_location",
        ),
        *("meeting__slug", *vocabulary.columns("meeting__city"), "meeting__year", "source__title"),
        *(
            "roundtable__track",
            "roundtable__number",
            "roundtable__number_assigned",
            "roundtable__stage",
            "roundtable__title",
        ),
    )
    # The themes as a list: prefetched into the related manager, each session would build a queryset.
    .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("slug", "name"), to_attr="theme_list"), TAG_LIST),
    template="sessions/session_list.html",
    title=_("Sessions"),
    noun=_("sessions"),
    columns=SESSION_COLUMNS,
    api_path="/api/sessions/",
    page_queryset=Session.objects.select_related("meeting", "roundtable"),
    # The page charts the view by meeting: one a year.
    chart_facet="meeting",
)


@cached_page(params=sessions_list.parameters)
def session_list(request):
    return sessions_list.html(request)


@cached_page(params=sessions_list.parameters)
def session_list_api(request):
    return sessions_list.api(request)


def meeting_json(meeting):
    return {
        "id": meeting.pk,
        "url": meeting.get_absolute_url(),
        "slug": meeting.slug,
        "ordinal": meeting.ordinal,
        "year": meeting.year,
        "city": meeting.city,
        "country": meeting.country,
        "chair": meeting.chair,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "civil_society_start_date": meeting.civil_society_start_date and meeting.civil_society_start_date.isoformat(),
        "civil_society_end_date": meeting.civil_society_end_date and meeting.civil_society_end_date.isoformat(),
        "overarching_theme": meeting.overarching_theme,
        "coverage": coverage_json(meeting),
    }


@takes_formats(*API_FORMATS)
@cached_page(params=("format",))
def meeting_list_api(request):
    results = [meeting_json(meeting) for meeting in Meeting.objects.all()]
    # Every meeting, with nothing left out by default.
    defaults = {"left_out": {}, "note": "Every meeting; each says what the sources cover of it (coverage)."}
    return JsonResponse(
        {"count": len(results), "next": None, "previous": None, "results": results, "defaults": defaults, "facets": {}}
    )


@cached_page
def meeting_list(request):
    """The meetings with their dates, places and what the knowledge base holds of each as held: roundtables
    and clusters per track, sessions against those held, and points per track and kind."""
    meetings = list(Meeting.objects.all())
    groups = held_groups()
    sessions = dict(held(Session.objects.all()).order_by().values_list("meeting").annotate(n=Count("pk")))
    for meeting in meetings:
        meeting.parts = [shown_group(part) for part in groups["parts"].get(meeting.pk, [])]
        for part in meeting.parts:
            held_in_all = meeting.government_roundtables_held if part["track_value"] == Track.GOVERNMENT else None
            part["held"] = held_in_all if held_in_all and held_in_all > part["count"] else None
        meeting.points = [shown_group(point) for point in groups["points"].get(meeting.pk, [])]
        meeting.restating = [shown_group(twin) for twin in groups["restating"].get(meeting.pk, [])]
        meeting.session_count = sessions.get(meeting.pk, 0)
        meeting.counts = {
            "roundtables": sum(part["count"] for part in meeting.parts),
            "sessions": meeting.session_count,
            "recommendations": sum(point["count"] for point in meeting.points),
        }
    context = {"meetings": meetings, "breadcrumbs": [(gettext("Meetings"), None)]}
    return render(request, "sessions/meeting_list.html", context)


def shown_group(group):
    """A group of held_groups() as the page names it, in the reader's language: its track, and its kind after
    its count ("3 clusters", "1 outcome sought"). The groups are kept as values, the same in every language."""
    shown = dict(group, track_value=group.get("track"))
    if "track" in group:
        shown["track"] = Track(group["track"]).label
    if "roundtable_kind" in group:
        shown["noun"] = Roundtable.kind_noun(group["roundtable_kind"], group["count"])
    else:
        shown["noun"] = Recommendation.kind_noun(group["kind"], group["count"])
    return shown


@per_revision
def held_groups():
    """What each meeting held, as plain values per meeting id: its roundtables and clusters per track and kind
    (`parts`, with how many have a number the knowledge base assigned), its points per track and kind (`points`,
    with their lettered sub-points), and how many of its points restate another of its points (`restating`).
    Values, not labels, as it is kept for every language: shown_group() names them."""
    parts = defaultdict(list)
    rows = (
        held(Roundtable.objects.all())
        .order_by("meeting", "track", "kind")
        .values_list("meeting", "track", "kind")
        .annotate(n=Count("pk"), assigned=Count("pk", filter=Q(number_assigned=True)))
    )
    for meeting, track, kind, n, assigned in rows:
        parts[meeting].append({"track": track, "roundtable_kind": kind, "count": n, "assigned": assigned})
    points = defaultdict(list)
    rows = (
        held(Recommendation.objects.all())
        .order_by("meeting", "track", "kind")
        .values_list("meeting", "track", "kind")
        .annotate(n=Count("pk"), sub_points=Count("pk", filter=Q(parent__isnull=False)))
    )
    order = list(Recommendation.Kind.values)
    rows = sorted(rows, key=lambda row: (row[0], row[1], order.index(row[2])))
    for meeting, track, kind, n, sub_points in rows:
        points[meeting].append({"track": track, "kind": kind, "count": n, "sub_points": sub_points})
    restating = defaultdict(list)
    rows = (
        held(Recommendation.objects.all())
        .restating(held(Recommendation.objects.all()))
        .order_by("meeting", "kind")
        .values_list("meeting", "kind")
        .annotate(n=Count("pk"))
    )
    for meeting, kind, n in rows:
        restating[meeting].append({"count": n, "kind": kind})
    return {"parts": dict(parts), "points": dict(points), "restating": dict(restating)}


@cached_page(params=citation.FORMAT_PARAMETERS)
def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    attach_sources([meeting])
    attach_other_sources([meeting])
    cite = citation.for_record(request, meeting)
    if (download := citation.respond(request, cite)) is not None:
        return download
    roundtables = attach_sources(meeting.roundtables.all())
    attach_other_sources(roundtables)
    attach_sessions(meeting, roundtables)
    points = points_by_roundtable(meeting)
    for roundtable in roundtables:
        roundtable.planned_points = points[roundtable.pk][Stage.PLANNED]
        # Its section lists what it held, or for a planned roundtable what was planned: each session's
        # points under that session, the roundtable's own after.
        by_session(roundtable, points[roundtable.pk][roundtable.stage])
    passages = attach_other_sources(attach_sources(meeting.passages.order_by("position")))
    held = [r for r in roundtables if r.stage == Stage.HELD]
    context = {
        "meeting": meeting,
        "tracks": [
            {"track": label, "roundtables": [r for r in held if r.track == value]} for value, label in Track.choices
        ],
        "planned_roundtables": [r for r in roundtables if r.stage == Stage.PLANNED],
        # Drafts of roundtables that were then held, such as Manila's of late 2007.
        "drafts": [r for r in held if r.planned_points],
        "meeting_recommendations": points[None][Stage.HELD],
        "meeting_preparation": points[None][Stage.PLANNED],
        "comparison": plan_and_outcome(roundtables),
        "coverage": meeting_coverage(roundtables, points),
        "events": meeting.events.annotate(point_count=Count("points")),
        "passages": passages,
        "milestones": attach_sources(meeting.milestones.all()),
        "matrix_activities": hubs.activities_by_meeting().get(meeting.pk, 0),
        "breadcrumbs": [(meeting, None)],
        "citation": cite,
    }
    return render(request, "sessions/meeting_detail.html", context)


def points_by_roundtable(meeting):
    """{roundtable id, or None for the meeting as a whole: {stage: [points]}} of the meeting's own points.

    One query (and one for the sub-points) for the whole page, split here in the query's order.
    """
    points = defaultdict(lambda: {Stage.HELD: [], Stage.PLANNED: []})
    shown = points_shown(POINTS_SHOWN.filter(meeting=meeting).of_stage([Stage.HELD, Stage.PLANNED]))
    mark_twins(shown)
    for point in shown:
        points[point.roundtable_id][point.stage].append(point)
    return points


def mark_twins(points):
    """Give each point the points of the list that restate it as another source reports them (`twins`),
    both ways: a follow-up action and the recommendation it restates each name the other."""
    by_pk = {point.pk: point for point in points}
    for point in points:
        point.twins = []
    for point in points:
        twin = by_pk.get(point.also_reported_as_id)
        if twin is not None:
            point.twins.append(twin)
            twin.twins.append(point)


def points_shown(points):
    """The points as a list, each with its page's address as `url` and its lettered sub-points as `sub_points`.

    One reverse() for all the links, and the sub-points read in one query and handed out here: a prefetch
    builds a queryset for each point to hold its sub-points, which cost more than reading them.
    """
    link = link_to("recommendations:recommendation", "pk")
    points = list(points)
    for point in points:
        point.url = link(point.pk)
        point.sub_points = []
    by_pk = {point.pk: point for point in points}
    for sub_point in SUB_POINTS_SHOWN.filter(parent__in=by_pk):
        by_pk[sub_point.parent_id].sub_points.append(sub_point)
    return points


def attach_sessions(meeting, roundtables):
    """Give each roundtable its sessions as `listed_sessions`, each with its roundtable and its page's address
    as `url`: one query, one reverse() for all the links, and no queryset built for each roundtable."""
    by_pk = {roundtable.pk: roundtable for roundtable in roundtables}
    for roundtable in roundtables:
        roundtable.listed_sessions = []
    link = link_to("sessions:session", "slug", meeting=meeting.slug)
    sessions = list(SESSIONS_SHOWN.filter(roundtable__in=by_pk))
    by_id = {session.pk: session for session in sessions}
    for session in sessions:
        session.roundtable = by_pk[session.roundtable_id]
        session.url = link(session.slug)
        # The session a planned one was held as is of the same meeting (Session.clean): found here.
        session.held_session = by_id.get(session.held_as_id)
        session.roundtable.listed_sessions.append(session)


def by_session(roundtable, points):
    """Hand each of the roundtable's sessions its points (`points`), in the source's order, and keep the
    points tied to no session as the roundtable's (`points`). `points_by_session` says whether any session
    has points of its own: the page then shows each session as a section, its points under its label."""
    sessions = {session.pk: session for session in roundtable.listed_sessions}
    for session in sessions.values():
        session.points = []
    roundtable.points = []
    for point in points:
        session = sessions.get(point.session_id)
        (session.points if session is not None else roundtable.points).append(point)
    roundtable.points_by_session = any(session.points for session in sessions.values())


def meeting_coverage(roundtables, points):
    """What our sources give of the meeting, held apart from planned, counted in the rows the page read:
    its roundtables' sessions, and its own points with their sub-points. A session's meeting is its
    roundtable's, and a sub-point's stage its point's: both are derived when they are saved.
    """
    sessions = {Stage.HELD: 0, Stage.PLANNED: 0}
    for roundtable in roundtables:
        sessions[roundtable.stage] += len(roundtable.listed_sessions)
    counts = {Stage.HELD: 0, Stage.PLANNED: 0}
    for by_stage in points.values():
        for stage, shown in by_stage.items():
            counts[stage] += len(shown) + sum(len(point.sub_points) for point in shown)
    return {
        "sessions": sessions[Stage.HELD],
        "recommendations": counts[Stage.HELD],
        "held_by_kind": held_by_kind(points),
        "planned_sessions": sessions[Stage.PLANNED],
        "planned_recommendations": counts[Stage.PLANNED],
    }


def held_by_kind(points):
    """The meeting's points as held, per track and kind, in the kinds' order: [{"track", "noun", "count",
    "sub_points"}], counted in the rows the page read."""
    found = defaultdict(lambda: [0, 0])
    for by_stage in points.values():
        for point in by_stage[Stage.HELD]:
            found[point.track, point.kind][0] += 1 + len(point.sub_points)
            found[point.track, point.kind][1] += len(point.sub_points)
    tracks, order = dict(Track.choices), list(Recommendation.Kind.values)
    groups = []
    for (track, kind), (n, sub_points) in sorted(found.items(), key=lambda item: (item[0][0], order.index(item[0][1]))):
        noun = Recommendation.kind_noun(kind, n)
        groups.append({"track": tracks[track], "noun": noun, "count": n, "sub_points": sub_points})
    return groups


def plan_and_outcome(roundtables):
    """Planned sessions beside the held sessions they became, and held sessions beside their plan.

    Empty for a meeting whose sources give no plan.
    """
    planned = [s for r in roundtables if r.stage == Stage.PLANNED for s in r.listed_sessions]
    if not planned:
        return []
    by_pk = {s.pk: s for r in roundtables if r.stage == Stage.HELD for s in r.listed_sessions}
    rows = [{"planned": s, "held": by_pk.get(s.held_as_id)} for s in planned]
    became = {s.held_as_id for s in planned}
    rows += [{"planned": None, "held": s} for pk, s in by_pk.items() if pk not in became]
    return rows


@cached_page(params=citation.FORMAT_PARAMETERS)
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.select_related("meeting", "source").annotate(point_count=Count("points")),
        slug=slug,
    )
    attach_other_sources([event])
    cite = citation.for_record(request, event)
    if (download := citation.respond(request, cite)) is not None:
        return download
    context = {
        "event": event,
        "points": TOP_LEVEL.filter(event=event).select_related("event"),
        "breadcrumbs": [(event.meeting, event.meeting.get_absolute_url()), (event.title, None)],
        "citation": cite,
    }
    return render(request, "sessions/event_detail.html", context)


@cached_page(params=citation.FORMAT_PARAMETERS)
def session_detail(request, meeting, slug):
    session = get_object_or_404(
        Session.objects.select_related("meeting", "roundtable").with_held_as(), meeting__slug=meeting, slug=slug
    )
    attach_sources([session, *(shown.record for shown in session.editors_links)])
    attach_other_sources([session])
    cite = citation.for_record(request, session)
    if (download := citation.respond(request, cite)) is not None:
        return download
    prefetch_related_objects([session], "themes", "tags")
    share_meeting([session.roundtable], session.meeting)
    themes = list(session.themes.all())
    # The meeting's sessions, for the links to the previous and the next. The session a planned one was
    # held as, and those planned as this one, are among them: a plan and what became of it are sessions
    # of one meeting (Session.clean), so they are found here rather than read.
    siblings = list(
        Session.objects.filter(meeting=session.meeting)
        .only("meeting", "slug", "number", "number_assigned", "title")
        .with_held_as()
    )
    share_meeting(siblings, session.meeting)
    by_pk = {sibling.pk: sibling for sibling in siblings}
    session.held_as = by_pk.get(session.held_as_id)
    index = next(i for i, s in enumerate(siblings) if s.pk == session.pk)
    context = {
        "session": session,
        "planned_as": [sibling for sibling in siblings if sibling.held_as_id == session.pk],
        "themes": themes,
        "recommendations": points_shown(POINTS_SHOWN.filter(session=session)),
        "activities": related_activities(session, themes),
        "elsewhere": elsewhere(session, themes, siblings),
        "related": related.shown_for(session),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "breadcrumbs": [
            (session.meeting, session.meeting.get_absolute_url()),
            (session.roundtable.label, session.roundtable.get_absolute_url()),
            (session.number or session.title, None),
        ],
        "citation": cite,
    }
    return render(request, "sessions/session_detail.html", context)


def share_meeting(records, meeting):
    """Give the records of this meeting (a session's roundtable, the meeting's sessions) the meeting already
    read, for their links, rather than a query each."""
    for record in records:
        if record is not None and record.meeting_id == meeting.pk:
            record.meeting = meeting


def elsewhere(session, themes, siblings):
    """Held sessions of other meetings on the session's themes, the first ten in the sessions list's order.

    Found as the sessions list finds them, in its facet index (lib/facet_index.py), rather than by sorting
    every session on the themes: the first ten, and as many more as the meeting has sessions, are read by
    id, and the meeting's own left out.
    """
    if not themes:
        return []
    params = QueryDict(mutable=True)
    params.setlist("theme", [theme.slug for theme in themes])
    filterset = SessionFilter(params, queryset=ELSEWHERE_SHOWN)
    if not filterset.is_valid():
        return []
    found = filterset.records()[: ELSEWHERE + len(siblings)]
    others = [other for other in found if other.meeting_id != session.meeting_id][:ELSEWHERE]
    meetings = meetings_named()
    link = link_to("sessions:session", "meeting", "slug")
    for other in others:
        year, city, slug = meetings[other.meeting_id]
        other.meeting = Meeting(pk=other.meeting_id, year=year, city=city, slug=slug)
        other.url = link(slug, other.slug)
    return others


@per_revision
def meetings_named():
    """{meeting id: (year, city, slug)}: what a link to another meeting's session names of it.

    A small table, read once per content revision: joined to a page's few sessions, PostgreSQL read it
    whole. Kept as plain values, which cost less to copy out of the cache than model instances.
    """
    rows = Meeting.objects.values_list("pk", "year", "city", "slug")
    return {pk: (year, city, slug) for pk, year, city, slug in rows}


def related_activities(session, themes):
    """GMG activities on the session's subjects: those sharing most of its tags, then its themes.

    The candidates are read from the two link tables and the shared tags counted for the tagged ones
    only: joining both links to every activity and grouping them back cost tens of milliseconds. The
    candidates are one set (a union) so that they are looked up by key: two `pk IN` ORed made
    PostgreSQL scan every activity.
    """
    tag_ids = [tag.pk for tag in session.tags.all()]
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(ProposedActivity), tag_id__in=tag_ids
    ).values("object_id")
    on_themes = ProposedActivity.themes.through.objects.filter(theme__in=themes).values("proposedactivity_id")
    # One row per tag (taggit's links are unique), so a plain count.
    shared = tagged.filter(object_id=OuterRef("pk")).values(n=Func("pk", function="COUNT"))
    activities = list(
        ProposedActivity.objects.filter(pk__in=on_themes.union(tagged))
        .annotate(shared_tags=Case(When(pk__in=tagged, then=Subquery(shared)), default=0))
        .order_by("-shared_tags", "section__roundtable__number", "section__letter", "position", "pk")
        .prefetch_related(AGENCIES_SHOWN)[:5]
    )
    link = link_to("recommendations:activity", "pk")
    for activity in activities:
        activity.url = link(activity.pk)
    return activities
