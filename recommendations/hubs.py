"""What an agency's page gathers besides its activities: the sources it issued, with the records citing each,
and the records that name it; and the meetings whose roundtables a GMG matrix covers."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from lib import search, sources
from lib.caching import per_revision
from lib.content import sourced_models

# An agency's page lists this many of the records naming it; the search lists them all.
NAMING_SHOWN = 20


def issued_by(member):
    """The source documents the agency issued, each with `citing_count`, the records citing it as held, as a
    source's page counts them (not its passages, which it quotes in full), counted once per revision."""
    from sessions.models import Passage

    issued = [source for source in sources.source_documents().values() if member.issued(source)]
    citing = [model for model in sourced_models() if model is not Passage]
    counts = sources.counts_by_source(citing) if issued else {}
    for source in issued:
        source.citing_count = counts.get(source.pk, 0)
    return issued


def record_kinds():
    """The kinds of search document that are records (not meetings, agencies, themes or sources)."""
    return [kind.name for kind in search.KINDS.values() if not kind.priority]


@per_revision
def naming(member):
    """{"count", "records", "search_url"}: the records whose text names the agency, as held, found as the
    site search finds them (the link gives the same records), the first NAMING_SHOWN by year, each as its
    "url", "label" and "body". Two queries, once per content revision and agency."""
    words = member.search_words
    kinds = record_kinds()
    documents = search.filter_documents(search.index_model().objects.filter(kind__in=kinds, stage="held"), words)
    shown = documents.order_by("year", "kind", "label", "pk").values("url", "label", "body")
    query = urlencode([("q", words), *(("type", kind) for kind in kinds)])
    return {
        "count": documents.count(),
        "records": list(shown[:NAMING_SHOWN]),
        "search_url": f"{reverse('gfmd:search')}?{query}",
    }


@per_revision
def activities_by_meeting():
    """{meeting id: number of activities its GMG matrix proposed}: the few meetings a matrix covers."""
    from recommendations.models import ProposedActivity

    return dict(ProposedActivity.objects.order_by().values_list("section__roundtable__meeting").annotate(n=Count("pk")))
