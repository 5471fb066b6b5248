from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from gfmd.listing import FacetedList
from sessions.filters import SessionFilter
from sessions.models import Meeting, Session


def session_json(session):
    return {
        "id": session.pk,
        "url": session.get_absolute_url(),
        "meeting": session.meeting.slug,
        "year": session.meeting.year,
        "track": session.roundtable.track,
        "roundtable": session.roundtable.number,
        "number": session.number,
        "title": session.title,
        "stage": session.roundtable.stage,
        "roundtable_title": session.roundtable.title,
        "co_chairs": session.co_chairs,
        "themes": [theme.slug for theme in session.themes.all()],
        "tags": [tag.slug for tag in session.tags.all()],
    }


SESSION_CSV = [
    ("url", lambda s, request: request.build_absolute_uri(s.get_absolute_url())),
    ("id", lambda s, request: s.pk),
    ("meeting_id", lambda s, request: s.meeting_id),
    ("meeting", lambda s, request: s.meeting.slug),
    ("meeting_label", lambda s, request: f"{s.meeting.city} {s.meeting.year}"),
    ("year", lambda s, request: s.meeting.year),
    ("track", lambda s, request: s.roundtable.track),
    ("stage", lambda s, request: s.roundtable.stage),
    ("roundtable_id", lambda s, request: s.roundtable_id),
    ("roundtable", lambda s, request: s.roundtable.number),
    ("roundtable_title", lambda s, request: s.roundtable.title),
    ("number", lambda s, request: s.number),
    ("title", lambda s, request: s.title),
    ("co_chairs", lambda s, request: s.co_chairs),
    ("themes", lambda s, request: "; ".join(t.slug for t in s.themes.all())),
    ("theme_labels", lambda s, request: "; ".join(t.name for t in s.themes.all())),
    ("tags", lambda s, request: "; ".join(t.name for t in s.tags.all())),
    ("source", lambda s, request: s.source.title),
    ("source_location", lambda s, request: s.source_location),
]

sessions_list = FacetedList(
    filterset_class=SessionFilter,
    queryset=Session.objects.select_related("meeting", "roundtable", "source").prefetch_related("themes", "tags"),
    template="sessions/session_list.html",
    title="Sessions",
    to_json=session_json,
    csv_columns=SESSION_CSV,
    api_path="/api/sessions/",
)


def session_list(request):
    return sessions_list.html(request)


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
    }


def meeting_list_api(request):
    results = [meeting_json(meeting) for meeting in Meeting.objects.all()]
    return JsonResponse({"count": len(results), "next": None, "previous": None, "results": results, "facets": {}})


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("source").prefetch_related("other_sources"), slug=slug)
    return render(request, "sessions/meeting_detail.html", {"meeting": meeting})


def session_detail(request, meeting, slug):
    session = get_object_or_404(Session.objects.with_context(), meeting__slug=meeting, slug=slug)
    return render(request, "sessions/session_detail.html", {"session": session})
