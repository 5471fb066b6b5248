import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gfmd.models import SourceDocument
from lib import search
from lib.caching import cached_page
from lib.listing import page_of
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Meeting, Passage, Session
from themes.models import Theme

log = logging.getLogger(__name__)

SEARCH_LIMIT = 50

# What the site search looks through: per type, the title and body fields it weighs, and the field it quotes.
# What the site search looks through, and the field each result quotes.
# Sessions and points as held: plans, drafts and other events' points are in the lists, under `stage` and `event`.
SEARCHED = [
    ("meeting", Meeting.objects.all(), "summary"),
    ("session", Session.objects.held().select_related("meeting"), "discussion"),
    ("recommendation", Recommendation.objects.held().select_related("meeting"), "text"),
    ("activity", ProposedActivity.objects.select_related("section__roundtable"), "text"),
]


# The home page lists this many meetings at a time, so that it never grows with their number.
HOME_MEETINGS = 12


@cached_page(params=("page",))
def home(request):
    page, error = page_of(request, Meeting.objects.all(), HOME_MEETINGS, count=Meeting.objects.count())
    if error:
        return render(request, "400.html", {"message": error}, status=400)
    meetings = list(page.object_list)
    # What was held at each meeting: plans, drafts and other events' points are not its outcomes.
    # Two grouped counts rather than two joins in one query, which would multiply each other's rows.
    held_sessions = Session.objects.held().order_by()
    held_recommendations = Recommendation.objects.held().order_by()
    sessions = dict(held_sessions.filter(meeting__in=meetings).values_list("meeting").annotate(n=Count("pk")))
    recommendations = dict(
        held_recommendations.filter(meeting__in=meetings).values_list("meeting").annotate(n=Count("pk"))
    )
    for meeting in meetings:
        meeting.session_count = sessions.get(meeting.pk, 0)
        meeting.recommendation_count = recommendations.get(meeting.pk, 0)
    context = {
        "meetings": meetings,
        "page": page,
        "themes": Theme.objects.all(),
        "counts": {
            "meetings": page.paginator.count,
            "sessions": held_sessions.count(),
            "recommendations": held_recommendations.count(),
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


def search_results(q):
    """Every kind of record matching q, best first, each with its title, link and an HTML-safe snippet."""
    results = []
    for kind, queryset, snippet_field in SEARCHED:
        matches = search.ranked(queryset, q, snippet_field=snippet_field, limit=SEARCH_LIMIT)
        for record in matches:
            title = result_title(kind, record)
            if search.on_postgresql():
                rank, snippet = record.rank, search.safe_headline(record.snippet or "")
            else:
                body = getattr(record, snippet_field) or ""
                rank = 2 * search.simple_rank(title, q) + search.simple_rank(body, q)
                snippet = search.highlight(body, q)
            results.append(
                {
                    "type": kind,
                    "title": title,
                    "url": record.get_absolute_url(),
                    "rank": rank,
                    "snippet": snippet,
                    "year": meeting_year(kind, record),
                }
            )
    results.sort(key=lambda r: -r["rank"])
    return results[:SEARCH_LIMIT]


def result_title(kind, record):
    if kind == "meeting":
        return f"GFMD {record.year}, {record.city}"
    if kind == "session":
        return record.heading
    if kind == "recommendation":
        number = f" {record.number}" if record.number else ""
        return f"{record.get_kind_display()}{number}, GFMD {record.meeting.year}" + (
            f": {record.group_heading}" if record.group_heading else ""
        )
    return f"GMG proposed activity, Roundtable {record.section.roundtable.number}, section {record.section.letter}"


def meeting_year(kind, record):
    if kind == "meeting":
        return record.year
    if kind == "activity":
        return 2007
    return record.meeting.year


@cached_page
def search_page(request):
    q = search.clean_query(request.GET.get("q", ""))
    results = search_results(q) if q else []
    return render(request, "gfmd/search.html", {"query": q, "results": results, "breadcrumbs": [("Search", None)]})


@cached_page
def search_api(request):
    q = search.clean_query(request.GET.get("q", ""))
    if not q:
        return JsonResponse({"errors": {"q": ["q is required: the words to search for."]}}, status=400)
    results = [{key: r[key] for key in ("type", "title", "url", "snippet", "rank", "year")} for r in search_results(q)]
    return JsonResponse(
        {"count": len(results), "next": None, "previous": None, "results": results, "facets": {}},
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
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


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, 503 naming what does not."""
    probes = {"database": database_answers, "cache": cache_answers}
    # A load balancer asks about the database only: a server without its cache still serves pages.
    only = request.GET.get("only")
    if only is not None and only not in probes:
        return JsonResponse({"errors": {"only": ["only must be database or cache."]}}, status=400)
    checks = {name: probe() for name, probe in probes.items() if only in (None, name)}
    failing = [name for name, problem in checks.items() if problem]
    body = {
        "status": "ok" if not failing else "failing: " + ", ".join(failing),
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The error names hosts; it goes to the log, not to whoever asks.
        log.exception("Health check: the database did not answer.")
        return "unreachable (see the log)"
    return None


def cache_answers():
    probe = secrets.token_hex(8)
    key = f"healthz:{probe}"
    cache.set(key, probe, 10)
    answered = cache.get(key)
    cache.delete(key)
    # The shared cache swallows its own errors (lib/cache.py); a probe that does not come back is the sign.
    return None if answered == probe else "unreachable: a value stored was not read back (see the log)"
