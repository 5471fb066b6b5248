from itertools import groupby
from urllib.parse import quote

from django.db.models import Count, Prefetch, Value
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import citation, related, vocabulary
from lib.caching import cached_page, per_revision
from lib.links import link_to
from lib.listing import LINKS, TAG_LIST, Column, FacetedList, joined, page_of
from lib.sources import attach_other_sources, attach_sources
from recommendations import hubs
from recommendations.filters import ActivityFilter, RecommendationFilter
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Meeting
from themes.models import Theme

# An agency's page lists its activities section by section, this many at a time.
MEMBER_PAGE_SIZE = 50


RECOMMENDATION_COLUMNS = [
    Column("id", "integer", lambda r: r.pk),
    Column("url", "string", lambda r: r.get_absolute_url(), format="uri-reference", description="The record's page."),
    Column("meeting_id", ("integer", "null"), lambda r: r.meeting_id, json=False),
    Column(
        "meeting",
        ("string", "null"),
        lambda r: r.meeting.slug if r.meeting else None,
        description="The meeting's slug; null for a point of another event (see event).",
    ),
    Column("meeting_label", "string", lambda r: f"{r.meeting.city} {r.meeting.year}" if r.meeting else "", json=False),
    Column(
        "year",
        ("integer", "null"),
        lambda r: r.meeting.year if r.meeting else None,
        description="The meeting's year; null for a point of another event.",
    ),
    Column(
        "track",
        ("string", "null"),
        lambda r: r.track or None,
        description="government or civil-society; null for a point of another event.",
    ),
    Column(
        "kind",
        "string",
        lambda r: r.kind,
        description="recommendation, follow-up, outcome-sought, key-message, feedback, or reported-point "
        "(a point reported from another event, which the source names no kind).",
    ),
    Column(
        "stage",
        ("string", "null"),
        lambda r: r.stage or None,
        description="held, or planned (a draft or a plan); null for a point of another event.",
    ),
    Column(
        "event",
        ("string", "null"),
        lambda r: r.event.slug if r.event else None,
        description="For a point of another event: that event's slug (its page is /events/<slug>/).",
    ),
    Column(
        "reported_beside",
        ("string", "null"),
        lambda r: r.event.meeting.slug if r.event else None,
        description="For a point of another event: the slug of the meeting its source reports the event beside.",
    ),
    Column("number", "string", lambda r: r.number, description="As printed: 7, or b for a sub-point."),
    Column(
        "number_restored",
        "boolean",
        lambda r: r.number_restored,
        csv=lambda r: "yes" if r.number_restored else "",
        description="The number is restored by the editors, not printed in the source.",
    ),
    Column("text", "string", lambda r: r.text),
    Column("roundtable_id", ("integer", "null"), lambda r: r.roundtable_id, json=False),
    Column("roundtable", ("integer", "null"), lambda r: r.roundtable.number if r.roundtable else None),
    Column("roundtable_title", "string", lambda r: r.roundtable.title if r.roundtable else "", json=False),
    Column("session_id", ("integer", "null"), lambda r: r.session_id, json=False),
    Column("session", ("string", "null"), lambda r: r.session.number if r.session else None),
    Column(
        "parent", ("integer", "null"), lambda r: r.parent_id, csv_name="parent_id", description="A sub-point's point."
    ),
    Column("group_heading", "string", lambda r: r.group_heading),
    Column("themes", "array", lambda r: [t.slug for t in r.themes.all()], description="Theme slugs."),
    Column("theme_labels", "string", lambda r: joined(r.themes.all(), "name"), json=False),
    # The CSV has always given tags by name.
    Column("tags", "array", lambda r: [t.slug for t in r.tag_list], csv=lambda r: joined(r.tag_list, "name")),
    LINKS,
    Column("source", "string", lambda r: r.source.title, json=False),
    Column("source_location", "string", lambda r: r.source_location, json=False),
]

RECOMMENDATIONS = Recommendation.objects.select_related(
    "meeting", "roundtable", "session", "event__meeting"
).prefetch_related("themes", TAG_LIST)

recommendations_list = FacetedList(
    filterset_class=RecommendationFilter,
    # What the API's records give; the CSV gives their source too. Each join costs PostgreSQL's planner more
    # than the query takes to run: the source's cost an API page 1 ms.
    queryset=RECOMMENDATIONS,
    csv_queryset=RECOMMENDATIONS.select_related("source"),
    template="recommendations/recommendation_list.html",
    title=_("Recommendations"),
    noun=_("recommendations and other points"),
    columns=RECOMMENDATION_COLUMNS,
    api_path="/api/recommendations/",
    # What a card shows, and nothing more: a meeting row holds its whole summary.
    page_queryset=Recommendation.objects.select_related("meeting", "roundtable", "event").only(
        *("kind", "number", "number_restored", "track", "stage", "group_heading", "text"),
        *(
            *vocabulary.columns("meeting__city"),
            "meeting__year",
            "roundtable__kind",
            "roundtable__number",
            "roundtable__number_assigned",
            "event__slug",
            "event__title",
        ),
    ),
    # The page charts the view by meeting: one a year.
    chart_facet="meeting",
)

ACTIVITY_COLUMNS = [
    Column("id", "integer", lambda a: a.pk),
    Column("url", "string", lambda a: a.get_absolute_url(), format="uri-reference", description="The record's page."),
    Column("meeting", "string", lambda a: a.section.roundtable.meeting.slug, json=False),
    Column("roundtable_id", "integer", lambda a: a.section.roundtable_id, json=False),
    Column("roundtable", "integer", lambda a: a.section.roundtable.number),
    Column("roundtable_title", "string", lambda a: a.section.roundtable.title, json=False),
    Column("section_id", "integer", lambda a: a.section_id, json=False),
    Column("section", "string", lambda a: a.section.letter),
    Column("position", "integer", lambda a: a.position, json=False),
    Column("text", "string", lambda a: a.text),
    Column("objectives", "array", lambda a: a.objective_texts, separator="\n"),
    Column(
        "gmg_members",
        "array",
        lambda a: [m.acronym for m in a.member_list],
        description="Acronyms of the GMG members listed with expertise.",
    ),
    Column("gmg_member_names", "string", lambda a: joined(a.member_list, "name"), json=False),
    Column("section_title", "string", lambda a: a.section.title),
    Column("sub_activities", "array", lambda a: a.sub_activity_texts, separator="\n"),
    Column("themes", "array", lambda a: [t.slug for t in a.theme_list], description="Theme slugs."),
    Column("theme_labels", "string", lambda a: joined(a.theme_list, "name"), json=False),
    Column("tags", "array", lambda a: [t.slug for t in a.tag_list], csv=lambda a: joined(a.tag_list, "name")),
    LINKS,
    Column("source", "string", lambda a: a.source.title, json=False),
    Column("source_location", "string", lambda a: a.source_location, json=False),
]

ACTIVITIES = ProposedActivity.objects.select_related("section__roundtable__meeting", "source").prefetch_related(
    "objectives", "sub_activities", "gmg_members", "themes", "tags"
)

# What the activities' columns read of their agencies and themes, as lists (`to_attr`): a prefetch into
# the related managers builds a queryset for each activity and manager, which cost more than the rows.
ACTIVITY_PARTS = (
    Prefetch("gmg_members", queryset=GMGMember.objects.only("acronym", "name"), to_attr="member_list"),
    Prefetch("themes", queryset=Theme.objects.only("slug", "name"), to_attr="theme_list"),
    TAG_LIST,
)


def attach_texts(activities):
    """Give each activity the texts of its objectives and sub-activities, in their order, as
    `objective_texts` and `sub_activity_texts`: all the columns give of them, read in one query of a few
    columns rather than as a model instance a row (a page of activities has hundreds). Their models'
    ordering sorts by their activity's roundtable, section and place, joining three tables: sorted here."""
    by_pk = {activity.pk: activity for activity in activities}
    for activity in activities:
        activity.objective_texts = []
        activity.sub_activity_texts = []
    parts = [
        model.objects.filter(activity__in=list(by_pk))
        .order_by()
        .annotate(part=Value(name))
        .values_list("part", "activity_id", "position", "text")
        for model, name in ((Objective, "objective_texts"), (SubActivity, "sub_activity_texts"))
    ]
    for name, pk, _position, text in sorted(parts[0].union(parts[1], all=True)):
        getattr(by_pk[pk], name).append(text)


activities_list = FacetedList(
    filterset_class=ActivityFilter,
    # What the columns read: not the meetings' and roundtables' summaries, nor the sources' descriptions.
    queryset=ProposedActivity.objects.select_related("section__roundtable__meeting", "source")
    .only(
        *("section", "position", "text", "source", "source_location", "source__title", "section__letter"),
        *("section__title", "section__roundtable__number", "section__roundtable__title"),
        "section__roundtable__meeting__slug",
    )
    .prefetch_related(*ACTIVITY_PARTS),
    attach=attach_texts,
    template="recommendations/activity_list.html",
    title=_("GMG proposed activities"),
    noun=_("activities"),
    columns=ACTIVITY_COLUMNS,
    api_path="/api/activities/",
    page_queryset=ProposedActivity.objects.select_related("section__roundtable").prefetch_related("gmg_members"),
    extra_context=lambda: named_matrix_meetings(),
    # Every activity is of a GMG matrix for one meeting's roundtables (Brussels 2007): by meeting the chart
    # would be one bar, so it counts the view by roundtable, as the matrix sets the activities out.
    chart_facet="roundtable",
)


@cached_page(params=recommendations_list.parameters)
def recommendation_list(request):
    return recommendations_list.html(request)


@cached_page(params=recommendations_list.parameters)
def recommendation_list_api(request):
    return recommendations_list.api(request)


@cached_page(params=activities_list.parameters)
def activity_list(request):
    return activities_list.html(request)


@cached_page(params=activities_list.parameters)
def activity_list_api(request):
    return activities_list.api(request)


@cached_page(params=citation.FORMAT_PARAMETERS)
def recommendation_detail(request, pk):
    # Four joins: the source comes from the memo, and the event, which few points have, is read only when
    # there is one; the planning of a ten-table join cost more than all of that.
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("meeting", "roundtable", "session", "parent").prefetch_related(
            "themes", "tags", "children"
        ),
        pk=pk,
    )
    attach_sources([recommendation, *(shown.record for shown in recommendation.editors_links)])
    attach_other_sources([recommendation])
    # The roundtable's and the session's links name their meeting, which is the point's own.
    for part in (recommendation.roundtable, recommendation.session):
        if part is not None and part.meeting_id == recommendation.meeting_id:
            part.meeting = recommendation.meeting
    cite = citation.for_record(request, recommendation)
    if (download := citation.respond(request, cite)) is not None:
        return download
    context = {"recommendation": recommendation, "citation": cite, "related": related.shown_for(recommendation)}
    return render(request, "recommendations/recommendation_detail.html", context)


@cached_page(params=citation.FORMAT_PARAMETERS)
def activity_detail(request, pk):
    activity = get_object_or_404(ACTIVITIES, pk=pk)
    attach_sources(shown.record for shown in activity.editors_links)
    attach_other_sources([activity])
    cite = citation.for_record(request, activity)
    if (download := citation.respond(request, cite)) is not None:
        return download
    context = {"activity": activity, "citation": cite, "related": related.shown_for(activity)}
    return render(request, "recommendations/activity_detail.html", context)


@cached_page
def gmg_member_list(request):
    members = GMGMember.objects.annotate(activity_count=Count("activities"))
    context = {
        "members": members,
        "total": ProposedActivity.objects.count(),
        "breadcrumbs": [(gettext("GMG agencies"), None)],
    }
    return render(request, "recommendations/gmg_member_list.html", context)


# An agency's page shows each activity's text and link under its section: nothing else is read.
MEMBER_ACTIVITIES = ProposedActivity.objects.select_related("section__roundtable").only(
    "text",
    "section__letter",
    "section__title",
    "section__roundtable__number",
    "section__roundtable__number_assigned",
    "section__roundtable__title",
    "section__roundtable__kind",
)


@cached_page(params=("page",))
def gmg_member_detail(request, acronym):
    member = get_object_or_404(GMGMember, acronym=acronym)
    # The agency's activities in the activities list's order, found as that list finds them, in its facet
    # index (lib/facet_index.py): a page reads its fifty by id rather than sorting all the agency's.
    params = QueryDict(mutable=True)
    params.setlist("gmg_member", [member.acronym])
    filterset = ActivityFilter(params, queryset=MEMBER_ACTIVITIES)
    # An agency no activity lists is not a value of the list's facet: it has none to show.
    activities = filterset.records() if filterset.is_valid() else []
    page, error = page_of(request, activities, MEMBER_PAGE_SIZE, count=len(activities))
    if error:
        return render(request, "400.html", {"message": error}, status=400)
    link = link_to("recommendations:activity", "pk")
    for activity in page.object_list:
        activity.url = link(activity.pk)
    sections = [
        {"section": section, "activities": list(activities)}
        for section, activities in groupby(page.object_list, key=lambda a: a.section)
    ]
    context = {
        "member": member,
        "issued": hubs.issued_by(member),
        "naming": hubs.naming(member),
        "page": page,
        "sections": sections,
        "breadcrumbs": [(gettext("GMG activities"), reverse("recommendations:activity_list")), (member.acronym, None)],
    }
    return render(request, "recommendations/gmg_member_detail.html", context)


@per_revision
def meetings_with_matrix():
    """The few meetings whose roundtables have sections of a GMG matrix, in order: read once per revision."""
    with_matrix = Section.objects.values("roundtable__meeting")
    return list(Meeting.objects.filter(pk__in=with_matrix).only("year", "city", "slug"))


def named_matrix_meetings():
    """The meetings of the GMG's matrices as the activities list's lede (linked) and chart note (plain) name
    them, each list joined beforehand so that one translated sentence holds it, whatever its word order."""
    meetings = meetings_with_matrix()
    return {
        "matrix_meeting_links": format_html_join(
            ", ", '<a href="{}">GFMD {}, {}</a>', ((m.get_absolute_url(), m.year, m.city) for m in meetings)
        ),
        "matrix_meeting_names": "; ".join(f"GFMD {m.year}, {m.city}" for m in meetings),
    }


@per_revision
def activity_totals():
    """{"all": activities, "by_member": {agency id: its activities}}, of every meeting's matrix.

    Counted over all the activities, so they grow with the data, and changed only by an edit: read once
    per content revision, as the lists count their facets (lib/facet_index.py).
    """
    links = ProposedActivity.gmg_members.through.objects.order_by()
    return {
        "all": ProposedActivity.objects.count(),
        "by_member": dict(links.values_list("gmgmember").annotate(n=Count("pk"))),
    }


@cached_page(params=("page",))
def expertise_matrix(request):
    """GMG members by section of a meeting's matrix: how many activities list each member.

    One meeting's matrix a page (the sources hold one, Brussels 2007's), so that
    the table never grows with the number of meetings.
    """
    page, error = page_of(request, meetings_with_matrix(), 1)
    if error:
        return render(request, "400.html", {"message": error}, status=400)
    meeting = page.object_list[0] if page.object_list else None
    sections = list(
        Section.objects.filter(roundtable__meeting=meeting)
        .select_related("roundtable")
        .order_by("roundtable__number", "letter")
    )
    section_totals = dict(
        ProposedActivity.objects.filter(section__in=sections)
        .order_by()
        .values_list("section_id")
        .annotate(n=Count("pk"))
    )
    totals = activity_totals()
    context = {
        "meeting": meeting,
        "page": page,
        "rows": matrix_rows(sections, totals["by_member"]),
        "sections": [{"section": s, "total": section_totals.get(s.pk, 0)} for s in sections],
        "total": totals["all"],
        "breadcrumbs": [
            (gettext("GMG activities"), reverse("recommendations:activity_list")),
            (gettext("Expertise matrix"), None),
        ],
    }
    return render(request, "recommendations/expertise_matrix.html", context)


def matrix_rows(sections, member_totals):
    """A row per agency with activities: its total, and a cell per section with its count, shade and list."""
    # Counted on the links alone: one link per activity and agency.
    counts = {
        (member_id, section_id): n
        for member_id, section_id, n in ProposedActivity.gmg_members.through.objects.order_by()
        .filter(proposedactivity__section__in=sections)
        .values_list("gmgmember", "proposedactivity__section")
        .annotate(n=Count("pk"))
    }
    biggest = max(counts.values(), default=1)
    # The list each count opens, reversed once rather than in every cell.
    activity_list = reverse("recommendations:activity_list")
    rows = []
    for member in GMGMember.objects.with_activities():
        of_member = f"{activity_list}?gmg_member={quote(member.acronym)}"
        cells = []
        for section in sections:
            count = counts.get((member.pk, section.pk), 0)
            cells.append(
                {
                    "section": section,
                    "count": count,
                    "shade": 0 if not count else 1 + min(4, 4 * count // biggest),
                    "url": f"{of_member}&roundtable={section.roundtable.number}&section={section.letter}",
                }
            )
        rows.append({"member": member, "total": member_totals.get(member.pk, 0), "url": of_member, "cells": cells})
    return rows
