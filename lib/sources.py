"""The source documents every record cites: a small table, read once per content revision.

A detail page joined it into its record's query; on PostgreSQL each join of a
many-join query costs more to plan than the whole query costs to run.
"""

from django.apps import apps

from lib.caching import per_revision


@per_revision
def source_documents():
    """{pk: SourceDocument} of every source document."""
    return {source.pk: source for source in apps.get_model("gfmd", "SourceDocument").objects.all()}


def attach_sources(records):
    """Give each record its source document from the memo, without a query; return them as a list."""
    records = list(records)
    sources = source_documents()
    for record in records:
        record.source = sources[record.source_id]
    return records
