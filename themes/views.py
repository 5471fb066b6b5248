from collections import defaultdict
from urllib.parse import quote

from django.db import connection
from django.db.models import Count, F
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from lib.caching import cached_page, per_revision
from lib.charts import bar_chart
from lib.links import link_to
from lib.listing import page_of
from recommendations.filters import RecommendationFilter
from recommendations.models import AGENCIES_SHOWN, Recommendation
from sessions.filters import SessionFilter
from sessions.models import Coverage, Meeting, Roundtable, Session
from themes.models import Theme

MEETING_FIELDS = ("year", "city", "slug", "sessions_coverage", "recommendations_coverage")
# The themes table and a theme's page show this many meetings at a time, the same on both, so that
# neither grows with the number of meetings; the meetings after are a click away.
MEETINGS_PER_TABLE = 12
# A theme's page lists its sessions with their track.
SESSIONS_SHOWN = Session.objects.select_related("roundtable").only(
    "meeting", "slug", "number", "number_assigned", "title", "roundtable__track"
)
YEARS_PER_THEME_PAGE = MEETINGS_PER_TABLE


def held_by_theme_and_meeting(filterset_class, meetings):
    """{(theme slug, meeting id): count} of what was held at the meetings, as the list counts it.

    Read in the list's facet index (lib/facet_index.py), kept per content revision: the list as it
    is without parameters (what was held, a meeting's own points), each meeting's records counted
    by theme. No query, and no join of the link table to the records, whose cost grew with them.
    """
    model = filterset_class._meta.model
    filterset = filterset_class(QueryDict(), queryset=model._default_manager.all())
    filterset.is_valid()
    index, chosen, held = filterset.index_state
    for records in chosen.values():
        held &= records
    counts = {}
    for meeting in meetings:
        at_meeting = held & index.selection("meeting", [meeting.slug])
        for theme, n in index.counts("theme", at_meeting).items():
            counts[theme, meeting.pk] = n
    return counts


def counts_by_theme(queryset):
    """{theme id: records of the queryset on it}, from the link table."""
    field = queryset.model._meta.get_field("themes")
    links = field.remote_field.through.objects.filter(**{f"{field.m2m_field_name()}__in": queryset.values("pk")})
    return dict(links.order_by().values_list("theme").annotate(n=Count("pk")))


@per_revision
def held_totals_by_theme():
    """{"sessions": {theme id: n}, "recommendations": {theme id: n}}: what was held on each theme, all meetings.

    These count every meeting's records, so they grow with the data, and change only with the content:
    read once per content revision, as the lists count their facets (lib/facet_index.py), rather than
    counted again for every page of the table.
    """
    return {
        "sessions": counts_by_theme(Session.objects.held()),
        "recommendations": counts_by_theme(Recommendation.objects.held()),
    }


@per_revision
def meeting_count():
    """How many meetings the pager pages through: it changes only with the content."""
    return Meeting.objects.count()


def with_urls(meetings):
    """The meetings as a list, each with its page's address as `url`, all from one reverse()."""
    meetings = list(meetings)
    link = link_to("sessions:meeting", "slug")
    for meeting in meetings:
        meeting.url = link(meeting.slug)
    return meetings


def bad_page(request, message):
    return render(request, "400.html", {"message": message}, status=400)


def count_cell(count, coverage):
    """A count, or None where our sources give none of the meeting's records: not the same as 0."""
    return None if not count and coverage == Coverage.NONE else count


def sessions_said(count, theme, meeting):
    """What a screen reader says after a cell's number of sessions."""
    words = ngettext("session on %(theme)s in %(year)s", "sessions on %(theme)s in %(year)s", count)
    return words % {"theme": theme.name, "year": meeting.year}


def recommendations_said(count, theme, meeting):
    words = ngettext("recommendation on %(theme)s in %(year)s", "recommendations on %(theme)s in %(year)s", count)
    return words % {"theme": theme.name, "year": meeting.year}


@cached_page(params=("page",))
def theme_list(request):
    page, error = page_of(request, Meeting.objects.only(*MEETING_FIELDS), MEETINGS_PER_TABLE, count=meeting_count())
    if error:
        return bad_page(request, error)
    meetings = with_urls(page.object_list)
    # What was held at each meeting, counted as the theme pages and the lists count it.
    sessions = held_by_theme_and_meeting(SessionFilter, meetings)
    recommendations = held_by_theme_and_meeting(RecommendationFilter, meetings)
    totals = held_totals_by_theme()
    session_totals, recommendation_totals = totals["sessions"], totals["recommendations"]
    biggest = max([*sessions.values(), *recommendations.values(), 1])
    # The lists each count opens, linked once per theme rather than reversed again in every cell.
    session_list = reverse("sessions:session_list")
    recommendation_list = reverse("recommendations:recommendation_list")
    theme_link = link_to("themes:detail", "slug")
    rows = []
    for theme in Theme.objects.all():
        on_theme = f"?theme={quote(theme.slug)}"
        cells = []
        for meeting in meetings:
            s = sessions.get((theme.slug, meeting.pk), 0)
            r = recommendations.get((theme.slug, meeting.pk), 0)
            sessions_cell = count_cell(s, meeting.sessions_coverage)
            recommendations_cell = count_cell(r, meeting.recommendations_coverage)
            cells.append(
                {
                    "sessions": sessions_cell,
                    "recommendations": recommendations_cell,
                    "sessions_url": f"{session_list}{on_theme}&year={meeting.year}",
                    "recommendations_url": f"{recommendation_list}{on_theme}&year={meeting.year}",
                    # What a screen reader says of each number, written here rather than in each of the cells.
                    "sessions_said": " " + sessions_said(s, theme, meeting),
                    "recommendations_said": " " + recommendations_said(r, theme, meeting),
                    # Zero of both, as our sources give them (not "not in our sources").
                    "none": sessions_cell == 0 and recommendations_cell == 0,
                    # Five shades, so that the table reads at a glance; the numbers carry the meaning.
                    "shade": 0 if not (s + r) else 1 + min(4, 4 * (s + r) // biggest),
                }
            )
        totals = {
            "sessions": session_totals.get(theme.pk, 0),
            "recommendations": recommendation_totals.get(theme.pk, 0),
            "sessions_url": session_list + on_theme,
            "recommendations_url": recommendation_list + on_theme,
        }
        rows.append({"theme": theme, "theme_url": theme_link(theme.slug), "cells": cells, "totals": totals})
    context = {"rows": rows, "meetings": meetings, "page": page, "breadcrumbs": [(gettext("Themes"), None)]}
    return render(request, "themes/theme_list.html", context)


def held_on_theme(filterset_class, theme, meetings, queryset):
    """What a list shows with the theme and the meetings chosen (what was held at them), as it finds it:
    in its facet index (lib/facet_index.py), read by id. None if the list does not take them.

    A query joining the theme's links to the records read every link of the theme, and PostgreSQL
    took longer to plan it than to run it.
    """
    params = QueryDict(mutable=True)
    params["theme"] = theme.slug
    params.setlist("meeting", [meeting.slug for meeting in meetings])
    filterset = filterset_class(params, queryset=queryset)
    return filterset.records() if filterset.is_valid() else None


def held_sessions(theme, meetings):
    """The sessions held on the theme at the meetings, in the sessions list's order."""
    found = held_on_theme(SessionFilter, theme, meetings, SESSIONS_SHOWN)
    return found[0 : found.count()] if found else []


@per_revision
def roundtable_numbers():
    """{roundtable id: number}, to order a page's points without joining the roundtables to them."""
    return dict(Roundtable.objects.order_by().values_list("pk", "number"))


def point_order(meetings):
    """A sort key giving the points of the meetings the order of ORDER BY meeting's year, track, roundtable's
    number, kind, position, id: the order the page had when the database sorted them, by joining the
    meetings and the roundtables, which it read whole. A point of no roundtable comes where the database
    puts a null: last on PostgreSQL, first on SQLite."""
    year_of = {meeting.pk: meeting.year for meeting in meetings}
    numbers = roundtable_numbers()
    nulls_last = connection.features.nulls_order_largest

    def key(point):
        if point.roundtable_id is None:
            roundtable = (nulls_last, 0)
        else:
            roundtable = (not nulls_last, numbers[point.roundtable_id])
        return (year_of[point.meeting_id], point.track, roundtable, point.kind, point.position, point.pk)

    return key


def theme_points(theme, meetings):
    """{year: [points]} of what was held under the theme, each record tagged with it counted once.

    A point is listed with its sub-points that carry the theme; a sub-point that carries the theme
    when its parent does not is listed on its own, so the page counts what the table counts.
    """
    found = held_on_theme(RecommendationFilter, theme, meetings, Recommendation.objects.all())
    records = list(
        Recommendation.objects.filter(pk__in=found.pks() if found else [])
        .select_related("parent")
        .order_by()
        # What the page shows of each, and of the point a sub-point belongs to; what orders them.
        .only(
            *("meeting", "kind", "number", "number_restored", "group_heading", "text", "parent__kind"),
            *("parent__number", "track", "roundtable", "position"),
        )
    )
    records.sort(key=point_order(meetings))
    link = link_to("recommendations:recommendation", "pk")
    for record in records:
        record.url = link(record.pk)
        if record.parent is not None:
            record.parent.url = link(record.parent_id)
    tagged = {r.pk for r in records}
    children = defaultdict(list)
    for record in records:
        if record.parent_id in tagged:
            children[record.parent_id].append(record)
    years = defaultdict(list)
    year_of = {meeting.pk: meeting.year for meeting in meetings}
    for record in records:
        if record.parent_id not in tagged:
            record.tagged_children = children[record.pk]
            years[year_of[record.meeting_id]].append(record)
    return years, len(records)


def theme_charts(theme, years):
    """The theme's sessions and points by meeting, as the page lists them: charts (lib.charts) whose gaps are
    the meetings whose records of the kind our sources do not give."""
    sessions = [
        {
            "label": f"{y['meeting'].city} {y['meeting'].year}",
            "count": count_cell(len(y["sessions"]), y["meeting"].sessions_coverage),
        }
        for y in years
    ]
    points = [
        {
            "label": f"{y['meeting'].city} {y['meeting'].year}",
            "count": count_cell(y["recommendation_count"], y["meeting"].recommendations_coverage),
        }
        for y in years
    ]
    meeting = gettext("Meeting")
    charts = [
        bar_chart(
            sessions,
            slug="sessions",
            title=gettext("Sessions held on %(theme)s, by meeting") % {"theme": theme.name},
            heading=meeting,
        ),
        bar_chart(
            points,
            slug="recommendations",
            title=gettext("Recommendations and other points on %(theme)s, by meeting") % {"theme": theme.name},
            heading=meeting,
        ),
    ]
    return [chart for chart in charts if chart]


@cached_page(params=("page",))
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    page, error = page_of(request, Meeting.objects.only(*MEETING_FIELDS), YEARS_PER_THEME_PAGE, count=meeting_count())
    if error:
        return bad_page(request, error)
    meetings = with_urls(page.object_list)
    # The records are each given their meeting from the page's own, not a join of the meetings table.
    by_pk = {meeting.pk: meeting for meeting in meetings}
    years = defaultdict(lambda: {"sessions": [], "recommendations": [], "recommendation_count": 0, "activities": []})
    # Each link is a format of one reverse(), not a reverse() a record.
    session_link = link_to("sessions:session", "meeting", "slug")
    for session in held_sessions(theme, meetings):
        session.meeting = by_pk[session.meeting_id]
        session.url = session_link(session.meeting.slug, session.slug)
        years[session.meeting.year]["sessions"].append(session)
    points, _ = theme_points(theme, meetings)
    for year, records in points.items():
        years[year]["recommendations"] = records
        years[year]["recommendation_count"] = sum(1 + len(r.tagged_children) for r in records)
    activities = (
        theme.activities.filter(section__roundtable__meeting__in=meetings)
        .annotate(meeting_id=F("section__roundtable__meeting"))
        .prefetch_related(AGENCIES_SHOWN)
        .only("text")
    )
    activity_link = link_to("recommendations:activity", "pk")
    for activity in activities:
        activity.url = activity_link(activity.pk)
        years[by_pk[activity.meeting_id].year]["activities"].append(activity)
    years = [{"meeting": m, **years[m.year]} for m in meetings]
    context = {
        "theme": theme,
        "years": years,
        "charts": theme_charts(theme, years),
        "page": page,
        "breadcrumbs": [(gettext("Themes"), reverse("themes:list")), (theme.name, None)],
    }
    return render(request, "themes/theme_detail.html", context)
