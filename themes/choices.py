"""Facet values for themes, in their curated order, read from the database once per content revision."""

from lib import vocabulary
from lib.caching import per_revision


@per_revision
def theme_names():
    """[(slug, {language: name})]: every language's, kept once for all of them."""
    from themes.models import Theme

    with vocabulary.english():
        return [(theme.slug, vocabulary.by_language(theme, "name")) for theme in Theme.objects.all()]


def themes():
    """[(slug, name)], each name in the reader's language, or the English where it is not translated."""
    return [(slug, vocabulary.pick(names)) for slug, names in theme_names()]
