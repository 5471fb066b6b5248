"""What a theme puts in its search document (lib.search); the themes other records' documents carry."""

from lib import search
from themes.models import Theme


def theme_pks(record):
    return [theme.pk for theme in record.themes.all()]


def theme_document(theme):
    return {
        "url": theme.get_absolute_url(),
        "label": theme.name,
        "names": theme.name,
        "body": theme.description,
        "themes": [theme.pk],
    }


def register():
    search.register(
        "theme",
        priority=3,
        model=Theme,
        label="Theme",
        plural="Themes",
        queryset=Theme.objects.all,
        build=theme_document,
    )
