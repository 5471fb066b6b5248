"""Server time and query count of every page type, in-process, against the database DATABASE_URL names.

Each page three ways: cached (the page cache holds it), uncached (the page cache emptied before each request,
what is derived per content revision kept, as after the first request that follows an edit) and after an
edit (a new content revision before each request: everything derived from the content read again).

Prints one JSON object: {"pages": [{"name", "url", "status", "n", "median_ms", "p95_ms", "queries", ...}],
"csv": [{"name", "url", "first_byte_ms", "whole_ms", "peak_kb", ...}], "exports": [{"name", "url", "build_ms",
"served_ms", ...}], "counts": {records of each kind}}.
Run by bench/run.py; the page picks depend only on the real content, so 1x and 100x measure the same URLs.
"""

import gc
import json
import math
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gfmd.settings")

import django  # noqa: E402

django.setup()
# The bench serves no static files in-process; whitenoise's warning about the missing folder is noise.
warnings.filterwarnings("ignore", message="No directory at")

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lib.caching import content_changed, forget_per_revision  # noqa: E402
from pipeline.management.commands.generate_synthetic import SYNTHETIC_SOURCE  # noqa: E402
from recommendations.models import GMGMember, ProposedActivity, Recommendation  # noqa: E402
from sessions.models import Meeting, Session  # noqa: E402
from themes.models import Theme  # noqa: E402

# DEBUG=true only spares the bench a SECRET_KEY: with it on, every query would be logged
# and every template compiled with debug information, which production never pays for.
settings.DEBUG = False

WARM_UP = 3
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
# A page this slow is already far outside the target; fewer samples keep the run bounded.
TIME_BUDGET_S = float(os.environ.get("BENCH_PAGE_BUDGET_S", "4"))
MIN_REQUESTS = 5
MIN_SLOW_REQUESTS = 3
SEARCH = "remittances"
LONG_QUERY = "+".join(
    "migration development labour skills remittances diaspora rights protection gender family return data".split() * 3
)
# Searches beyond the one every run measures: a broad word, entities, syntax, facets, a cut query, repeats, CSV.
SEARCHES = [
    ("search, broad word", "/search/?q=migration"),
    ("search, agency by acronym", "/api/search/?q=IOM"),
    ("search, meeting by country", "/api/search/?q=Mauritius"),
    ("search, phrase or -word", "/search/?q=%22domestic+workers%22+or+remittances+-trafficking"),
    ("search, 3 facets", "/search/?q=migration&type=recommendation&year=2009&theme=rights-protection"),
    ("search, 36 words", f"/search/?q={LONG_QUERY}"),
    ("search, a word 11 times", "/search/?q=" + "+".join(["a"] * 10 + ["migrant"])),
    ("search CSV", f"/search/?q={SEARCH}&format=csv"),
    ("list search, 36 words", f"/api/activities/?q={LONG_QUERY}"),
    ("list search, broad word", "/api/recommendations/?q=migration"),
]


def real(queryset):
    return queryset.exclude(source__slug=SYNTHETIC_SOURCE)


# The lists, the API, the search and the feeds: the same addresses whatever the data.
LISTS = [
    ("recommendations list", "/recommendations/"),
    ("recommendations list, year", "/recommendations/?year=2009"),
    ("recommendations list, 3 filters", "/recommendations/?year=2009&track=civil-society&kind=recommendation"),
    ("recommendations list, all facet values", "/recommendations/?facet_size=all"),
    ("activities list", "/activities/"),
    ("activities list, 2 agencies", "/activities/?gmg_member=UNODC&gmg_member=UNDP"),
    ("API sessions", "/api/sessions/"),
    ("API recommendations", "/api/recommendations/"),
    ("API recommendations, year", "/api/recommendations/?year=2009"),
    ("API activities", "/api/activities/"),
    ("API activities, 2 agencies", "/api/activities/?gmg_member=UNODC&gmg_member=UNDP"),
    ("search page", f"/search/?q={SEARCH}"),
    ("API search", f"/api/search/?q={SEARCH}"),
    *SEARCHES,
    ("sessions feed", "/sessions/?format=atom"),
    ("recommendations feed", "/recommendations/?format=atom"),
    ("recommendations feed, year", "/recommendations/?year=2009&format=atom"),
    ("activities feed, 2 agencies", "/activities/?gmg_member=UNODC&gmg_member=UNDP&format=atom"),
    ("search feed", f"/search/?q={SEARCH}&format=atom"),
]


def pages():
    meeting = Meeting.objects.filter(slug="athens-2009").first() or real(Meeting.objects).first()
    session = (
        real(Session.objects)
        .annotate(n=Count("recommendations"))
        .order_by("-n", "pk")
        .select_related("meeting")
        .first()
    )
    theme = (
        Theme.objects.filter(sessions__in=real(Session.objects))
        .annotate(n=Count("sessions", distinct=True))
        .order_by("-n", "position")
        .first()
    )
    activity = real(ProposedActivity.objects).annotate(n=Count("gmg_members")).order_by("-n", "pk").first()
    recommendation = real(Recommendation.objects).annotate(n=Count("children")).order_by("-n", "pk").first()
    member = GMGMember.objects.filter(acronym="IOM").first() or GMGMember.objects.first()
    pages = [
        ("home", "/"),
        ("meeting page", meeting.get_absolute_url()),
        ("session page", session.get_absolute_url()),
        ("recommendation page", recommendation.get_absolute_url()),
        ("theme list", "/themes/"),
        ("theme page", theme.get_absolute_url()),
        ("activity page", activity.get_absolute_url()),
        ("GMG member page", member.get_absolute_url()),
        ("expertise matrix", "/activities/expertise/"),
        # The largest stored text, with the most anchors: the GMG matrix.
        ("source reader, the matrix", "/sources/gmg-matrix-2007/"),
        ("API annotations, one source", "/api/annotations/?source=gmg-matrix-2007"),
        ("sessions list", "/sessions/"),
        ("sessions list, theme", f"/sessions/?theme={theme.slug}"),
        *LISTS,
        # The same pages in the Forum's other languages: their own cache keys, their translated vocabulary.
        ("meeting page, in French", "/fr" + meeting.get_absolute_url()),
        ("recommendations list, year, in French", "/fr/recommendations/?year=2009"),
        ("activities list, 2 agencies, in Spanish", "/es/activities/?gmg_member=UNODC&gmg_member=UNDP"),
        ("search page, in Spanish", "/es/search/?q=remesas"),
    ]
    only = os.environ.get("BENCH_ONLY")
    return [(name, url) for name, url in pages if not only or only in name]


def percentile(values, fraction):
    ordered = sorted(values)
    # Nearest rank: of 30 samples, the 95th percentile is the 29th fastest.
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def clear_caches():
    """Everything cold: the pages, what is derived per revision, the process's facet indexes."""
    for cache in caches.all():
        cache.clear()
    forget_per_revision()


def clear_pages():
    caches["pages"].clear()


def edit():
    """What an editor's save does to what is kept: a new content revision, committed."""
    with transaction.atomic():
        content_changed()


def fetch(client, url):
    """The response and its whole body: a streamed CSV is read to its end, as a reader's download is."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def timed(client, url, *, prepare=None):
    """Up to REQUESTS timings in ms, each after calling `prepare`; fewer once the page has used up its time
    budget."""
    timings = []
    started = time.perf_counter()
    while len(timings) < REQUESTS:
        if prepare:
            prepare()
        before = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - before) * 1000)
        enough = MIN_REQUESTS if timings[0] < 1000 else MIN_SLOW_REQUESTS
        if len(timings) >= enough and time.perf_counter() - started > TIME_BUDGET_S:
            break
    return timings


def measure(client, url):
    # An uncached request, after one that derived what it needs per revision, is the one whose queries
    # are counted, so that capturing them (which logs every query) never touches a timed request.
    clear_caches()
    fetch(client, url)
    clear_pages()
    with CaptureQueriesContext(connection) as context:
        response, body = fetch(client, url)
    # A copy now: the next request empties the connection's query log the context reads from.
    queries = list(context.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
    started = time.perf_counter()
    for _ in range(WARM_UP - 1):
        if time.perf_counter() - started > 1:
            break
        fetch(client, url)
    # As a visitor gets it: the page was asked for before and the content has not changed since.
    cached = timed(client, url)
    # As anyone asking for a URL nobody asked for since the last edit gets it.
    uncached = timed(client, url, prepare=clear_pages)
    # As the first visitor after an edit gets it: nothing derived from the content is kept yet.
    edited = timed(client, url, prepare=edit)
    return {
        "status": response.status_code,
        "streaming": response.streaming,
        "kb": round(len(body) / 1024),
        "cached_median_ms": round(statistics.median(cached), 1),
        "cached_p95_ms": round(percentile(cached, 0.95), 1),
        "n": len(uncached),
        "median_ms": round(statistics.median(uncached), 1),
        "p95_ms": round(percentile(uncached, 0.95), 1),
        "edit_median_ms": round(statistics.median(edited), 1),
        "edit_p95_ms": round(percentile(edited, 0.95), 1),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "slowest_sql_ms": round(float(slowest["time"]) * 1000, 1),
        "slowest_sql": slowest["sql"],
    }


# Streamed: a filter makes a CSV a stream (the whole lists are served from files, below); these filters keep
# (nearly) every record, so that the stream is as long as the whole list's.
CSV_LISTS = [
    ("sessions CSV, streamed", "/sessions/?format=csv&stage=held"),
    ("recommendations CSV, streamed", "/recommendations/?format=csv&stage=held"),
    ("activities CSV, streamed", "/activities/?format=csv&gmg_member=IOM"),
]
# Built once per content revision into a file, then served as one (lib/exports.py).
WHOLE_EXPORTS = [
    ("sessions CSV", "/sessions/?format=csv"),
    ("recommendations CSV", "/recommendations/?format=csv"),
    ("activities CSV", "/activities/?format=csv"),
    ("data package", "/data/gfmd-knowledge-base.zip"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap, recommendations", "/sitemap-recommendations.xml"),
]


def measure_csv(client, url):
    """Time to the first byte and to the last, and the most memory Python held while streaming it."""
    first, whole = [], []
    for _ in range(3):
        clear_pages()
        started = time.perf_counter()
        response = client.get(url)
        chunks = iter(response.streaming_content if response.streaming else [response.content])
        size = len(next(chunks, b""))
        first.append((time.perf_counter() - started) * 1000)
        size += sum(len(chunk) for chunk in chunks)
        whole.append((time.perf_counter() - started) * 1000)
    clear_pages()
    tracemalloc.start()
    response = client.get(url)
    rows = sum(
        chunk.count(b"\n") for chunk in (response.streaming_content if response.streaming else [response.content])
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "status": response.status_code,
        "streaming": response.streaming,
        "first_byte_ms": round(statistics.median(first), 1),
        "whole_ms": round(statistics.median(whole), 1),
        "kb": round(size / 1024),
        "lines": rows,
        "peak_kb": round(peak / 1024),
    }


def measure_whole_export(client, url):
    """The first request after an edit builds the file; the next ones are served it."""
    edit()
    started = time.perf_counter()
    response, body = fetch(client, url)
    build = (time.perf_counter() - started) * 1000
    served = []
    for _ in range(5):
        started = time.perf_counter()
        fetch(client, url)
        served.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "kb": round(len(body) / 1024),
        "build_ms": round(build, 1),
        "served_ms": round(statistics.median(served), 1),
    }


def measure_indexes():
    """How long each list's facet index takes to build, and its size: the first list page after an edit pays
    the build, once in each server process; every other page reads the index."""
    from lib.facet_index import FacetIndex
    from recommendations.views import activities_list, recommendations_list
    from sessions.views import sessions_list

    results = []
    for listing in (sessions_list, recommendations_list, activities_list):
        filterset = listing.filterset_class(queryset=listing.queryset)
        facets = {name: filterset.filters[name] for name in filterset.facet_names()}
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            index = FacetIndex(facets, listing.queryset)
            timings.append((time.perf_counter() - started) * 1000)
        results.append(
            {
                "name": str(listing.title),
                "records": index.size,
                "values": sum(len(values) for values in index.values.values()),
                "build_ms": round(statistics.median(timings), 1),
                "kb": round(index.memory() / 1024),
            }
        )
        print(f"    index of {listing.title:24} {results[-1]['build_ms']:>8} ms", file=sys.stderr, flush=True)
    return results


def main():
    # A page that fails is reported with its status, not allowed to stop the run.
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    # As each gunicorn worker does after its first request (gunicorn.conf.py): what Django loaded for the
    # process's life leaves the garbage collector's rounds, so a page's time is its own.
    client.get("/")
    gc.collect()
    gc.freeze()
    results = []
    for name, url in pages():
        results.append({"name": name, "url": url, **measure(client, url)})
        row = results[-1]
        print(
            f"    {name:34} {row['median_ms']:>8} ms, cached {row['cached_median_ms']:>6} ms, "
            f"after an edit {row['edit_median_ms']:>8} ms",
            file=sys.stderr,
            flush=True,
        )
    csvs = []
    for name, url in CSV_LISTS:
        csvs.append({"name": name, "url": url, **measure_csv(client, url)})
        row = csvs[-1]
        print(
            f"    {name:34} first byte {row['first_byte_ms']:>8} ms, peak {row['peak_kb']} kB",
            file=sys.stderr,
            flush=True,
        )
    whole = []
    for name, url in WHOLE_EXPORTS:
        whole.append({"name": name, "url": url, **measure_whole_export(client, url)})
        row = whole[-1]
        print(f"    {name:34} built {row['build_ms']:>8} ms, served {row['served_ms']} ms", file=sys.stderr, flush=True)
    counts = {
        str(model._meta.verbose_name_plural): model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("gfmd_sessions", "recommendations") and not model.__name__.startswith("Historical")
    }
    print(json.dumps({"pages": results, "csv": csvs, "exports": whole, "indexes": measure_indexes(), "counts": counts}))


if __name__ == "__main__":
    main()
