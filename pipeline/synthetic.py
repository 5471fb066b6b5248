"""Which records are synthetic: the benchmark copies generate_synthetic makes, which no fixture holds.

Every synthetic record cites the one source document SYNTHETIC_SOURCE, itself
or through the activity it belongs to, so that no one can mistake it for the
Forum's own records: the loader and the exporter leave such records alone, and
`generate_synthetic --clear` finds all of them, and nothing else, by that source.
"""

from django.db.models import Q

from gfmd.models import SourceDocument

SYNTHETIC_SOURCE = "synthetic-benchmark-data"


def source_paths(model):
    """The paths from a record of the model to the source it cites (any of them), or none for a record that
    cites none. A link by editors cites none of its own: it is synthetic when the record it goes from is."""
    names = {field.name for field in model._meta.concrete_fields}
    if "source" in names:
        return ["source"]
    if "activity" in names:
        return ["activity__source"]
    return [f"{name}__source" for name in sorted(names) if name.startswith("from_")]


def synthetic(model):
    """The condition a synthetic record of the model meets (none of a model whose records cite no source)."""
    if model is SourceDocument:
        return Q(slug=SYNTHETIC_SOURCE)
    condition = Q(pk__in=[])
    # The source's id from a subquery: a sourced record's own column is compared, with no join.
    for path in source_paths(model):
        condition |= Q(**{f"{path}__in": SourceDocument.objects.filter(slug=SYNTHETIC_SOURCE).values("pk")})
    return condition
