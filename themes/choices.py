"""Facet values for themes, in their curated order, read from the database once per content revision."""

from lib.caching import per_revision


@per_revision
def themes():
    from themes.models import Theme

    return list(Theme.objects.values_list("slug", "name"))
