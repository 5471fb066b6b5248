from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from lib.caching import cached_page
from lib.listing import FacetedList, parse_paging
from recommendations.filters import ActivityFilter, RecommendationFilter
from recommendations.models import GMGMember, ProposedActivity, Recommendation, Section

# An agency's page lists its activities section by section, this many at a time.
MEMBER_PAGE_SIZE = 100


def joined(items, attribute="slug"):
    return "; ".join(str(getattr(item, attribute)) for item in items)


def recommendation_json(r):
    return {
        "id": r.pk,
        "url": r.get_absolute_url(),
        "meeting": r.meeting.slug,
        "year": r.meeting.year,
        "track": r.track,
        "kind": r.kind,
        "stage": r.stage,
        "event": r.event.slug if r.event else None,
        "number": r.number,
        "number_restored": r.number_restored,
        "text": r.text,
        "roundtable": r.roundtable.number if r.roundtable else None,
        "session": r.session.number if r.session else None,
        "parent": r.parent_id,
        "group_heading": r.group_heading,
        "themes": [t.slug for t in r.themes.all()],
        "tags": [t.slug for t in r.tags.all()],
    }


RECOMMENDATION_CSV = [
    ("url", lambda r, request: request.build_absolute_uri(r.get_absolute_url())),
    ("id", lambda r, request: r.pk),
    ("meeting_id", lambda r, request: r.meeting_id),
    ("meeting", lambda r, request: r.meeting.slug),
    ("meeting_label", lambda r, request: f"{r.meeting.city} {r.meeting.year}"),
    ("year", lambda r, request: r.meeting.year),
    ("track", lambda r, request: r.track),
    ("kind", lambda r, request: r.kind),
    ("stage", lambda r, request: r.stage),
    ("event", lambda r, request: r.event.slug if r.event else ""),
    ("roundtable_id", lambda r, request: r.roundtable_id or ""),
    ("roundtable", lambda r, request: r.roundtable.number if r.roundtable else ""),
    ("roundtable_title", lambda r, request: r.roundtable.title if r.roundtable else ""),
    ("session_id", lambda r, request: r.session_id or ""),
    ("session", lambda r, request: r.session.number if r.session else ""),
    ("parent_id", lambda r, request: r.parent_id or ""),
    ("number", lambda r, request: r.number),
    ("number_restored", lambda r, request: "yes" if r.number_restored else ""),
    ("group_heading", lambda r, request: r.group_heading),
    ("text", lambda r, request: r.text),
    ("themes", lambda r, request: joined(r.themes.all())),
    ("theme_labels", lambda r, request: joined(r.themes.all(), "name")),
    ("tags", lambda r, request: joined(r.tags.all(), "name")),
    ("source", lambda r, request: r.source.title),
    ("source_location", lambda r, request: r.source_location),
]

recommendations_list = FacetedList(
    filterset_class=RecommendationFilter,
    queryset=Recommendation.objects.select_related(
        "meeting", "roundtable", "session", "source", "event"
    ).prefetch_related("themes", "tags"),
    template="recommendations/recommendation_list.html",
    title="Recommendations",
    noun="recommendations and other points",
    to_json=recommendation_json,
    csv_columns=RECOMMENDATION_CSV,
    api_path="/api/recommendations/",
)


def activity_json(a):
    return {
        "id": a.pk,
        "url": a.get_absolute_url(),
        "roundtable": a.section.roundtable.number,
        "section": a.section.letter,
        "text": a.text,
        "objectives": [o.text for o in a.objectives.all()],
        "gmg_members": [m.acronym for m in a.gmg_members.all()],
        "section_title": a.section.title,
        "sub_activities": [s.text for s in a.sub_activities.all()],
        "themes": [t.slug for t in a.themes.all()],
        "tags": [t.slug for t in a.tags.all()],
    }


ACTIVITY_CSV = [
    ("url", lambda a, request: request.build_absolute_uri(a.get_absolute_url())),
    ("id", lambda a, request: a.pk),
    ("meeting", lambda a, request: a.section.roundtable.meeting.slug),
    ("roundtable_id", lambda a, request: a.section.roundtable_id),
    ("roundtable", lambda a, request: a.section.roundtable.number),
    ("roundtable_title", lambda a, request: a.section.roundtable.title),
    ("section_id", lambda a, request: a.section_id),
    ("section", lambda a, request: a.section.letter),
    ("section_title", lambda a, request: a.section.title),
    ("position", lambda a, request: a.position),
    ("text", lambda a, request: a.text),
    ("sub_activities", lambda a, request: "\n".join(s.text for s in a.sub_activities.all())),
    ("objectives", lambda a, request: "\n".join(o.text for o in a.objectives.all())),
    ("gmg_members", lambda a, request: joined(a.gmg_members.all(), "acronym")),
    ("gmg_member_names", lambda a, request: joined(a.gmg_members.all(), "name")),
    ("themes", lambda a, request: joined(a.themes.all())),
    ("theme_labels", lambda a, request: joined(a.themes.all(), "name")),
    ("tags", lambda a, request: joined(a.tags.all(), "name")),
    ("source", lambda a, request: a.source.title),
    ("source_location", lambda a, request: a.source_location),
]

ACTIVITIES = ProposedActivity.objects.select_related("section__roundtable__meeting", "source").prefetch_related(
    "objectives", "sub_activities", "gmg_members", "themes", "tags"
)

activities_list = FacetedList(
    filterset_class=ActivityFilter,
    queryset=ACTIVITIES,
    template="recommendations/activity_list.html",
    title="GMG proposed activities",
    noun="activities",
    to_json=activity_json,
    csv_columns=ACTIVITY_CSV,
    api_path="/api/activities/",
)


@cached_page
def recommendation_list(request):
    return recommendations_list.html(request)


@cached_page
def recommendation_list_api(request):
    return recommendations_list.api(request)


@cached_page
def activity_list(request):
    return activities_list.html(request)


@cached_page
def activity_list_api(request):
    return activities_list.api(request)


@cached_page
def recommendation_detail(request, pk):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(
            "meeting", "roundtable", "session__meeting", "parent", "source", "event", "also_reported_as__source"
        ).prefetch_related(
            "themes",
            "tags",
            "other_sources",
            "children",
            Prefetch("reported_also_as", queryset=Recommendation.objects.select_related("source")),
        ),
        pk=pk,
    )
    return render(request, "recommendations/recommendation_detail.html", {"recommendation": recommendation})


@cached_page
def activity_detail(request, pk):
    activity = get_object_or_404(ACTIVITIES.prefetch_related("other_sources"), pk=pk)
    return render(request, "recommendations/activity_detail.html", {"activity": activity})


@cached_page
def gmg_member_detail(request, acronym):
    member = get_object_or_404(GMGMember, acronym=acronym)
    _, _, errors = parse_paging(request.GET)
    if errors:
        return render(request, "400.html", {"message": errors["page"][0]}, status=400)
    paginator = Paginator(ACTIVITIES.filter(gmg_members=member), MEMBER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    sections = [
        {"section": section, "activities": list(activities)}
        for section, activities in groupby(page.object_list, key=lambda a: a.section)
    ]
    context = {
        "member": member,
        "page": page,
        "sections": sections,
        "breadcrumbs": [("GMG activities", "/activities/"), (member.acronym, None)],
    }
    return render(request, "recommendations/gmg_member_detail.html", context)


@cached_page
def expertise_matrix(request):
    """GMG members by section of the 2007 matrix: how many activities list each member."""
    sections = list(Section.objects.select_related("roundtable").order_by("roundtable__number", "letter"))
    members = list(GMGMember.objects.filter(activities__isnull=False).distinct())
    counts = {
        (acronym, section_id): n
        for acronym, section_id, n in ProposedActivity.objects.order_by()
        .values_list("gmg_members__acronym", "section_id")
        .annotate(n=Count("pk", distinct=True))
    }
    section_totals = dict(ProposedActivity.objects.order_by().values_list("section_id").annotate(n=Count("pk")))
    member_totals = dict(GMGMember.objects.order_by().values_list("acronym").annotate(n=Count("activities")))
    biggest = max(counts.values(), default=1)
    rows = [
        {
            "member": member,
            "total": member_totals.get(member.acronym, 0),
            "cells": [
                {
                    "section": section,
                    "count": counts.get((member.acronym, section.pk), 0),
                    "shade": 0
                    if not counts.get((member.acronym, section.pk))
                    else 1 + min(4, 4 * counts[(member.acronym, section.pk)] // biggest),
                }
                for section in sections
            ],
        }
        for member in members
    ]
    context = {
        "rows": rows,
        "sections": [{"section": s, "total": section_totals.get(s.pk, 0)} for s in sections],
        "total": ProposedActivity.objects.count(),
        "breadcrumbs": [("GMG activities", "/activities/"), ("Expertise matrix", None)],
    }
    return render(request, "recommendations/expertise_matrix.html", context)
