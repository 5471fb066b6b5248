"""The source documents every record cites: a small table, read once per content revision.

A detail page joined it into its record's query; on PostgreSQL each join of a
many-join query costs more to plan than the whole query costs to run. The
further documents editors add to a record (`other_sources`) are links of a
few dozen a kind, which synthetic records never have: kept per revision too,
rather than prefetched for each record a page shows.
"""

from collections import defaultdict

from django.db.models import Count, F

from lib.caching import per_revision
from lib.counting import held
from lib.models import configured_model
from lib.vocabulary import own_columns


@per_revision
def source_documents():
    """{pk: SourceDocument} of every source document, in their order (date, then title)."""
    return {source.pk: source for source in configured_model("SOURCE_DOCUMENT_MODEL").objects.all()}


def attach_sources(records):
    """Give each record its source document from the memo, without a query; return them as a list."""
    records = list(records)
    sources = source_documents()
    for record in records:
        record.source = sources[record.source_id]
    return records


@per_revision
def other_source_links(model):
    """{record pk: [source document pk, ...]} of the model's records citing further documents, each list
    in the documents' order (as `record.other_sources.all()` gives them), kept per content revision."""
    field = model._meta.get_field("other_sources")
    order = {pk: position for position, pk in enumerate(source_documents())}
    links = defaultdict(list)
    rows = field.remote_field.through.objects.values_list(field.m2m_field_name(), field.m2m_reverse_field_name())
    for record, source in rows:
        links[record].append(source)
    return {record: sorted(sources, key=order.__getitem__) for record, sources in links.items()}


def attach_other_sources(records):
    """Give each record its further source documents as `other_source_list`, from the memos, without a
    query; return them as a list."""
    records = list(records)
    if records:
        links = other_source_links(records[0]._meta.model)
        sources = source_documents()
        for record in records:
            record.other_source_list = [sources[pk] for pk in links.get(record.pk, ())]
    return records


@per_revision
def counts_by_source(models):
    """{source id: number of records of these models citing it, as held}, kept per content revision: one
    query (a UNION ALL of two grouped counts per model) the first time a revision is asked.

    A record cites a source as its main one or as a further one; naming its main source again among the
    further ones, it counts once.
    """
    counts = []
    for model in models:
        # In a UNION, the columns in the order named, which a translated model's queryset does not keep.
        records = held(own_columns(model._default_manager.all()))
        counts.append(records.order_by().values_list("source").annotate(n=Count("pk")))
        field = model._meta.get_field("other_sources")
        record, source = field.m2m_field_name(), field.m2m_reverse_field_name()
        further = field.remote_field.through.objects.filter(**{f"{record}__in": records.values("pk")}).exclude(
            **{f"{record}__source": F(source)}
        )
        counts.append(further.order_by().values_list(source).annotate(n=Count("pk")))
    totals = {}
    if counts:
        for source_id, n in counts[0].union(*counts[1:], all=True):
            totals[source_id] = totals.get(source_id, 0) + n
    return totals
