"""Facet values for themes, in their curated order, read from the database when a list is built."""


def themes():
    from themes.models import Theme

    return list(Theme.objects.values_list("slug", "name"))
