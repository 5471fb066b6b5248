from collections import defaultdict

from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from lib.caching import cached_page
from recommendations.models import Recommendation
from sessions.models import Coverage, Meeting, Session
from themes.models import Theme

MEETING_FIELDS = ("year", "city", "slug", "sessions_coverage", "recommendations_coverage")


def counts_by_theme_and_year(queryset):
    """{(theme slug, year): count}, counted as the faceted lists count them."""
    rows = queryset.order_by().values_list("themes__slug", "meeting__year").annotate(n=Count("pk", distinct=True))
    return {(slug, year): n for slug, year, n in rows if slug}


def count_cell(count, coverage):
    """A count, or None where our sources give none of the meeting's records: not the same as 0."""
    return None if not count and coverage == Coverage.NONE else count


@cached_page
def theme_list(request):
    meetings = list(Meeting.objects.only(*MEETING_FIELDS))
    # What was held at each meeting, counted as the theme pages and the lists count it.
    sessions = counts_by_theme_and_year(Session.objects.held())
    recommendations = counts_by_theme_and_year(Recommendation.objects.held())
    biggest = max([*sessions.values(), *recommendations.values(), 1])
    rows = []
    for theme in Theme.objects.all():
        cells = []
        for meeting in meetings:
            s = sessions.get((theme.slug, meeting.year), 0)
            r = recommendations.get((theme.slug, meeting.year), 0)
            cells.append(
                {
                    "meeting": meeting,
                    "sessions": count_cell(s, meeting.sessions_coverage),
                    "recommendations": count_cell(r, meeting.recommendations_coverage),
                    # Five shades, so that the table reads at a glance; the numbers carry the meaning.
                    "shade": 0 if not (s + r) else 1 + min(4, 4 * (s + r) // biggest),
                }
            )
        rows.append({"theme": theme, "cells": cells})
    return render(
        request, "themes/theme_list.html", {"rows": rows, "meetings": meetings, "breadcrumbs": [("Themes", None)]}
    )


def theme_points(theme):
    """{year: [points]} of what was held under the theme, each record tagged with it counted once.

    A point is listed with its sub-points that carry the theme; a sub-point that carries the theme
    when its parent does not is listed on its own, so the page counts what the table counts.
    """
    records = list(
        Recommendation.objects.held()
        .filter(themes=theme)
        .select_related("meeting", "roundtable", "parent")
        .order_by("meeting__year", "track", "roundtable__number", "kind", "position", "pk")
    )
    tagged = {r.pk for r in records}
    children = defaultdict(list)
    for record in records:
        if record.parent_id in tagged:
            children[record.parent_id].append(record)
    years = defaultdict(list)
    for record in records:
        if record.parent_id not in tagged:
            record.tagged_children = children[record.pk]
            years[record.meeting.year].append(record)
    return years, len(records)


@cached_page
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    years = defaultdict(lambda: {"sessions": [], "recommendations": [], "recommendation_count": 0, "activities": []})
    for session in theme.sessions.held().select_related("meeting", "roundtable"):
        years[session.meeting.year]["sessions"].append(session)
    points, _ = theme_points(theme)
    for year, records in points.items():
        years[year]["recommendations"] = records
        years[year]["recommendation_count"] = sum(1 + len(r.tagged_children) for r in records)
    activities = theme.activities.select_related("section__roundtable__meeting").prefetch_related("gmg_members")
    for activity in activities:
        years[activity.section.roundtable.meeting.year]["activities"].append(activity)
    meetings = Meeting.objects.only(*MEETING_FIELDS)
    context = {
        "theme": theme,
        "years": [{"meeting": m, **years[m.year]} for m in meetings],
        "breadcrumbs": [("Themes", "/themes/"), (theme.name, None)],
    }
    return render(request, "themes/theme_detail.html", context)
