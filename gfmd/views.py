import logging

from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gfmd import annotations, api, citing, datapackage, health, reader
from gfmd.models import SourceDocument
from gfmd.searching import search_list
from gfmd.sitemaps import SITEMAPS
from lib import citation, exports, openapi, search
from lib.caching import cached_page, per_revision
from lib.links import absolute
from lib.listing import API_FORMATS, page_of, takes_formats
from lib.sources import attach_other_sources
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Meeting, Passage, Session
from themes.models import Theme

log = logging.getLogger(__name__)

# A source page lists the records of each kind citing it this many at a time.
CITING_PAGE_SIZE = 100

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
        "counts": {"meetings": page.paginator.count, **held_totals()},
    }
    return render(request, "gfmd/home.html", context)


@per_revision
def held_totals():
    """What the knowledge base holds of all the meetings as held, and how many activities there are.

    Sessions: those in our sources, and at least how many were held (for each meeting the number a source
    gives, or those in our sources). Points: per kind, with their lettered sub-points, and how many restate
    another point as a second source reports it (both counted). Counted over every meeting, so they grow
    with the data, and changed only by an edit: read once per content revision, as the lists count their
    facets (lib/facet_index.py).
    """
    # Each meeting's sessions in our sources beside the number a source says were held, in one query.
    in_sources = Count("sessions", filter=Q(sessions__in=Session.objects.held()))
    sessions = list(Meeting.objects.order_by().annotate(n=in_sources).values_list("n", "sessions_held"))
    points = Recommendation.objects.held()
    rows = (
        points.order_by().values_list("kind").annotate(n=Count("pk"), sub=Count("pk", filter=Q(parent__isnull=False)))
    )
    found = {kind: (n, sub) for kind, n, sub in rows}
    restating = dict(points.restating(points).order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = []
    for kind, label in Recommendation.Kind.choices:
        if kind in found:
            n, sub = found[kind]
            noun = label.lower() if n == 1 else Recommendation(kind=kind).kind_plural.lower()
            kinds.append(
                {"kind": kind, "count": n, "noun": noun, "sub_points": sub, "restating": restating.get(kind, 0)}
            )
    return {
        "sessions": sum(n for n, _ in sessions),
        "sessions_at_least": sum(max(n, held_in_all or 0) for n, held_in_all in sessions),
        "recommendations": sum(kind["count"] for kind in kinds),
        "kinds": kinds,
        "activities": ProposedActivity.objects.count(),
    }


@cached_page
def source_list(request):
    counts = citing.counts_by_source()
    sources = list(SourceDocument.objects.all())
    for source in sources:
        source.citing_count = counts.get(source.pk, 0)
    return render(request, "gfmd/source_list.html", {"sources": sources, "breadcrumbs": [(gettext("Sources"), None)]})


@cached_page(params=citing.page_parameters)
def source_detail(request, slug):
    source = get_object_or_404(SourceDocument, slug=slug)
    passages = Passage.objects.filter(source=source).select_related("source", "meeting")
    cite = citation.for_record(request, source)
    if (download := citation.respond(request, cite)) is not None:
        return download
    groups, errors = citing.citing_page(source, request.GET, CITING_PAGE_SIZE)
    if errors:
        return render(request, "400.html", {"message": " ".join(errors.values())}, status=400)
    held_total = sum(group.count for group in groups if group.is_held)
    reading = reader.reading_of(source)
    context = {
        "source": source,
        "reading": reading,
        "groups": groups,
        "passages": attach_other_sources(passages.order_by("meeting__year", "position")),
        "held_total": held_total,
        "planned_total": sum(group.count for group in groups) - held_total,
        "citation": cite,
        "breadcrumbs": [(gettext("Sources"), reverse("gfmd:source_list")), (source.title, None)],
    }
    return render(request, "gfmd/source_detail.html", context)


@cached_page(params=search_list.parameters)
def search_page(request):
    # Without words the page is the search form; a download or a feed without them is the list's 400.
    if "q" not in request.GET and request.GET.get("format") in (None, "", "html"):
        return render(
            request,
            "gfmd/search_form.html",
            {"max_terms": search.MAX_TERMS, "breadcrumbs": [(gettext("Search"), None)]},
        )
    return search_list.html(request)


@cached_page(params=search_list.parameters)
def search_api(request):
    return search_list.api(request)


@cached_page
def data_page(request):
    context = package_context(request)
    context |= {"breadcrumbs": [("Data", None)]}
    return render(request, "gfmd/data.html", context)


def package_context(request):
    """The codebook of the package as it is now: the README's and the data page's."""
    url = settings.SITE_URL
    return datapackage.codebook_context(url, datapackage.tables(url), datapackage.created())


@takes_formats("json")
@cached_page(params=("format",))
def datapackage_json(request):
    return JsonResponse(
        datapackage.descriptor(settings.SITE_URL), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


@cached_page
def data_readme(request):
    return HttpResponse(datapackage.readme(package_context(request)), content_type="text/markdown; charset=utf-8")


@cached_page
def data_citation(request):
    return HttpResponse(datapackage.citation_cff(package_context(request)), content_type="text/plain; charset=utf-8")


@takes_formats()
@require_safe
def data_csv(request, name):
    table = datapackage.table(name, settings.SITE_URL)
    if table is None:
        raise Http404(f"The package has no table {name}.")
    export = exports.Export(
        name=f"data-{table.path}",
        build=lambda out: out.writelines(chunk.encode() for chunk in table.csv_chunks()),
        content_type="text/csv; charset=utf-8",
        filename=table.path,
        # Its page_url column holds the site's address.
        variant=(settings.SITE_URL,),
    )
    return exports.built(request, export)


@takes_formats()
@require_safe
def data_zip(request):
    def build(out):
        out.writelines(datapackage.zip_chunks(settings.SITE_URL))

    export = exports.Export(
        name="data-package",
        build=build,
        content_type="application/zip",
        filename=f"{datapackage.ZIP_NAME}.zip",
        variant=(settings.SITE_URL,),
    )
    return exports.built(request, export)


@require_safe
def sitemap_index(request):
    export = exports.Export(
        name="sitemap.xml",
        build=lambda out: out.write(rendered(sitemaps.index(request, SITEMAPS, sitemap_url_name="gfmd:sitemap"))),
        content_type="application/xml",
        variant=(settings.SITE_URL,),
        small=True,
    )
    return exports.built(request, export)


@require_safe
def sitemap_section(request, section):
    """One section of the sitemap, a page of at most its `limit` addresses (`?p=`), as the protocol allows."""
    if section not in SITEMAPS:
        raise Http404(f"The sitemap has no section {section}.")
    page = request.GET.get("p", "1")
    if not (page.isascii() and page.isdigit() and len(page) < 6 and int(page) >= 1):
        raise Http404(f"The sitemap has no page {page}.")
    export = exports.Export(
        name=f"sitemap-{section}-{int(page)}.xml",
        build=lambda out: out.write(rendered(sitemaps.sitemap(request, SITEMAPS, section=section))),
        content_type="application/xml",
        variant=(settings.SITE_URL,),
        small=True,
    )
    return exports.built(request, export)


def rendered(response):
    return response.render().content


@takes_formats(*API_FORMATS)
@cached_page(params=("source", "page", "format"))
def annotations_api(request):
    found, errors = annotations.annotation_page(request.GET)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(found, content_type=annotations.MEDIA_TYPE, json_dumps_params={"ensure_ascii": False})


@takes_formats(*API_FORMATS)
@cached_page(params=("format",))
def openapi_json(request):
    return JsonResponse(api.openapi(settings.SITE_URL), json_dumps_params={"ensure_ascii": False, "indent": 2})


@cached_page
def api_page(request):
    document = api.openapi(settings.SITE_URL)
    context = {
        "info": document["info"],
        "operations": openapi.readable(document),
        "breadcrumbs": [("API", None)],
    }
    return render(request, "gfmd/api.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {absolute('/sitemap.xml')}",
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
    """For load balancers and monitoring: 200 while the server can serve its pages, 503 naming what it lacks.

    The database and the collected static files are vital; a cache that does not answer leaves the server
    serving pages from the database, so the answer stays 200 and says the cache is degraded. `?only=NAME`
    checks one part, and answers 503 when that part fails, the cache included.
    """
    probes = health.VITAL | health.DEGRADING
    only = request.GET.get("only")
    if only is not None and only not in probes:
        return JsonResponse({"errors": {"only": [f"only must be one of {', '.join(sorted(probes))}."]}}, status=400)
    checks = {name: probe() for name, probe in probes.items() if only in (None, name)}
    failing = [name for name, problem in checks.items() if problem and (only or name in health.VITAL)]
    degraded = [name for name, problem in checks.items() if problem and name not in failing]
    status = "failing: " + ", ".join(failing) if failing else "degraded: " + ", ".join(degraded) if degraded else "ok"
    body = {"status": status, "checks": {name: problem or "ok" for name, problem in checks.items()}}
    return JsonResponse(body, status=503 if failing else 200)
