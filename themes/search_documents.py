"""What a theme puts in its search document (lib.search); the themes other records' documents carry."""

from django.utils.translation import gettext_lazy as _

from lib import search, vocabulary
from lib.search.registry import joined
from themes.models import Theme


def theme_pks(record):
    return [theme.pk for theme in record.themes.all()]


def theme_words(record):
    """The names of a record's themes (prefetched) in French and Spanish: a reader finds a theme's records by
    its name in their own language (remesas, envois de fonds), though the records are quoted in English.
    Its name, not its description: the words that name it, not a text the index would hold for each record.
    Not the English name: an English search finds a record by what it says, not by how editors classed it."""
    return joined(*(name for theme in record.themes.all() for name in vocabulary.translations(theme, "name")))


def theme_document(theme):
    return {
        "url": theme.get_absolute_url(),
        "label": theme.name,
        "names": joined(*vocabulary.all_languages(theme, "name")),
        "body": joined(*vocabulary.all_languages(theme, "description")),
        "themes": [theme.pk],
    }


def register():
    search.register(
        "theme",
        priority=3,
        model=Theme,
        label=_("Theme"),
        plural=_("Themes"),
        queryset=Theme.objects.all,
        build=theme_document,
    )
