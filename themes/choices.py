"""Facet values for themes, in their curated order, read from the database once per content revision."""

from lib import vocabulary
from lib.caching import per_revision


@per_revision
def themes():
    """[(slug, name)], each name in the reader's language, or the English where it is not translated (kept
    once per language, as every per-revision value is)."""
    from themes.models import Theme

    # In the curated order, ties broken by the English name whatever the reader's language.
    with vocabulary.english():
        found = list(Theme.objects.all())
    return [(theme.slug, theme.name) for theme in found]
