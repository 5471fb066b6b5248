from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from gfmd.filters import SearchFilter
from gfmd.models import SearchDocument, SourceDocument
from lib import search
from lib.caching import cached_page
from lib.listing import FacetedList
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Meeting, Passage, Session
from themes.models import Theme


@cached_page
def home(request):
    # Two grouped counts rather than two joins in one query, which would multiply each other's rows.
    # What was held at each meeting: plans, drafts and other events' points are not its outcomes.
    sessions = dict(Session.objects.held().order_by().values_list("meeting").annotate(n=Count("pk")))
    recommendations = dict(Recommendation.objects.held().order_by().values_list("meeting").annotate(n=Count("pk")))
    meetings = list(Meeting.objects.all())
    for meeting in meetings:
        meeting.session_count = sessions.get(meeting.pk, 0)
        meeting.recommendation_count = recommendations.get(meeting.pk, 0)
    context = {
        "meetings": meetings,
        "themes": Theme.objects.all(),
        "counts": {
            "meetings": Meeting.objects.count(),
            "sessions": sum(sessions.values()),
            "recommendations": sum(recommendations.values()),
            "activities": ProposedActivity.objects.count(),
        },
    }
    return render(request, "gfmd/home.html", context)


@cached_page
def source_detail(request, slug):
    source = get_object_or_404(SourceDocument, slug=slug)
    passages = (
        Passage.objects.filter(source=source).select_related("source", "meeting").prefetch_related("other_sources")
    )
    context = {
        "source": source,
        "passages": passages.order_by("meeting__year", "position"),
        "breadcrumbs": [("Sources", None), (source.title, None)],
    }
    return render(request, "gfmd/source_detail.html", context)


def search_json(document):
    return {
        "type": document.kind,
        "title": document.label,
        "url": document.url,
        "snippet": document.snippet,
        "year": document.year,
        "meeting": document.meeting or None,
        "track": document.track or None,
        "roundtable": document.roundtable or None,
        "kind": document.record_kind or None,
        "stage": document.stage,
        "rank": round(float(getattr(document, "rank", 0) or 0), 4),
    }


SEARCH_CSV = [
    ("url", lambda d, request: request.build_absolute_uri(d.url)),
    ("type", lambda d, request: d.kind),
    ("title", lambda d, request: d.label),
    ("year", lambda d, request: d.year or ""),
    ("meeting", lambda d, request: d.meeting),
    ("track", lambda d, request: d.track),
    ("roundtable", lambda d, request: d.roundtable),
    ("kind", lambda d, request: d.record_kind),
    ("stage", lambda d, request: d.stage),
]

search_list = FacetedList(
    filterset_class=SearchFilter,
    queryset=SearchDocument.objects.all(),
    template="gfmd/search.html",
    title="Search",
    noun="results",
    to_json=search_json,
    csv_columns=SEARCH_CSV,
    api_path="/api/search/",
)


@cached_page
def search_page(request):
    if "q" not in request.GET:
        return render(
            request, "gfmd/search_form.html", {"max_terms": search.MAX_TERMS, "breadcrumbs": [("Search", None)]}
        )
    return search_list.html(request)


@cached_page
def search_api(request):
    return search_list.api(request)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    return render(request, "404.html", {"path": request.path}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
