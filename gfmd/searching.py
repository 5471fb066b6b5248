"""The site search as a faceted list of search documents: the same facets, counts, JSON and CSV as the lists."""

from gfmd.filters import SearchFilter
from gfmd.models import SearchDocument
from lib import search
from lib.listing import Column, FacetedList

SEARCH_COLUMNS = [
    Column("type", "string", lambda d: d.kind, description="session, recommendation, activity, meeting, ..."),
    Column("title", "string", lambda d: d.label),
    Column("url", "string", lambda d: d.url, format="uri-reference", description="The result's page."),
    Column("snippet", "string", lambda d: d.snippet, csv=False, description="HTML: matched words in <mark>."),
    Column("year", ("integer", "null"), lambda d: d.year),
    Column("meeting", ("string", "null"), lambda d: d.meeting or None, description="The meeting's slug."),
    Column("track", ("string", "null"), lambda d: d.track or None),
    Column("roundtable", ("string", "null"), lambda d: d.roundtable or None, description="Roundtable 2, Cluster 1."),
    Column("kind", ("string", "null"), lambda d: search.record_kind_label(d.record_kind) if d.record_kind else None),
    Column("stage", "string", lambda d: d.stage),
    Column("event", ("string", "null"), lambda d: d.event or None, description="The other event's slug, if any."),
    Column("rank", "number", lambda d: round(float(getattr(d, "rank", 0) or 0), 4), csv=False),
]

search_list = FacetedList(
    filterset_class=SearchFilter,
    queryset=SearchDocument.objects.all(),
    template="gfmd/search_results.html",
    # What the CSV's columns read (snippet and rank are the page's and the API's alone).
    csv_fields=("kind", "label", "url", "year", "meeting", "track", "roundtable", "record_kind", "stage", "event"),
    title="Search",
    noun="results",
    columns=SEARCH_COLUMNS,
    api_path="/api/search/",
)
