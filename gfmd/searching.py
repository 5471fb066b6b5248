"""The site search as a faceted list of search documents: the same facets, counts, JSON and CSV as the lists."""

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy, ngettext

from gfmd.filters import SearchFilter
from gfmd.models import SearchDocument
from lib import feeds, search
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


# A search's feed follows the records of this many of its results at most, each kind's read by id.
FEED_RESULTS = 200


def result_changes(filterset):
    """The latest changes to the records the results are of (of the first FEED_RESULTS results in the
    index's order), each titled and linked as its result: one query for the results, two for each kind."""
    index, found = filterset.index_state[0], filterset.found()
    count = found.bit_count()
    documents = SearchDocument.objects.filter(pk__in=index.pks_at(found, 0, min(count, FEED_RESULTS)))
    shown = {}
    for kind, pk, url, label in documents.values_list("kind", "object_id", "url", "label"):
        shown.setdefault(kind, {})[pk] = (url, label)
    changes = []
    for kind, records in shown.items():
        model = apps.get_model(search.KINDS[kind].model) if kind in search.KINDS else None
        if model is not None and feeds.has_history(model):
            for change in feeds.latest_changes(model, list(records)):
                change.url, change.title = records[change.pk]
                changes.append(change)
    changes.sort(key=lambda change: (change.date, change.history_id), reverse=True)
    changes = changes[: feeds.FEED_SIZE]
    feeds.describe(changes)
    if count <= FEED_RESULTS:
        about = ngettext(
            "The latest changes to the records of the {count} result, newest first.",
            "The latest changes to the records of the {count} results, newest first.",
            count,
        )
    else:
        about = gettext(
            "The latest changes to the records of the first {shown} of these {count} results, newest first."
        )
    return changes, about.format(count=count, shown=FEED_RESULTS)


search_list = FacetedList(
    filterset_class=SearchFilter,
    queryset=SearchDocument.objects.all(),
    template="gfmd/search_results.html",
    # What the CSV's columns read (snippet and rank are the page's and the API's alone).
    csv_fields=("kind", "label", "url", "year", "meeting", "track", "roundtable", "record_kind", "stage", "event"),
    title=gettext_lazy("Search"),
    noun=gettext_lazy("results"),
    columns=SEARCH_COLUMNS,
    api_path="/api/search/",
    # The page charts the view by meeting: one a year.
    chart_facet="meeting",
    changes=result_changes,
)
