from collections import defaultdict

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from lib.caching import cached_page
from recommendations.models import Recommendation
from sessions.models import Meeting, Session
from themes.models import Theme


def counts_by_theme_and_year(queryset):
    """{(theme slug, year): count}, counted as the faceted lists count them."""
    rows = queryset.order_by().values_list("themes__slug", "meeting__year").annotate(n=Count("pk", distinct=True))
    return {(slug, year): n for slug, year, n in rows if slug}


@cached_page
def theme_list(request):
    meetings = list(Meeting.objects.only("year", "city", "slug"))
    sessions = counts_by_theme_and_year(Session.objects.all())
    recommendations = counts_by_theme_and_year(Recommendation.objects.all())
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
                    "sessions": s,
                    "recommendations": r,
                    # Five shades, so that the table reads at a glance; the numbers carry the meaning.
                    "shade": 0 if not (s + r) else 1 + min(4, 4 * (s + r) // biggest),
                }
            )
        rows.append({"theme": theme, "cells": cells})
    return render(
        request, "themes/theme_list.html", {"rows": rows, "meetings": meetings, "breadcrumbs": [("Themes", None)]}
    )


@cached_page
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    years = defaultdict(lambda: {"sessions": [], "recommendations": [], "activities": []})
    for session in theme.sessions.select_related("meeting", "roundtable"):
        years[session.meeting.year]["sessions"].append(session)
    top_level = (
        theme.recommendations.filter(parent__isnull=True)
        .select_related("meeting", "roundtable")
        .prefetch_related(Prefetch("children", queryset=Recommendation.objects.order_by("position")))
    )
    for recommendation in top_level:
        years[recommendation.meeting.year]["recommendations"].append(recommendation)
    activities = theme.activities.select_related("section__roundtable__meeting").prefetch_related("gmg_members")
    for activity in activities:
        years[activity.section.roundtable.meeting.year]["activities"].append(activity)
    meetings = Meeting.objects.only("year", "city", "slug")
    context = {
        "theme": theme,
        "years": [{"meeting": m, **years[m.year]} for m in meetings],
        "breadcrumbs": [("Themes", "/themes/"), (theme.name, None)],
    }
    return render(request, "themes/theme_detail.html", context)
