"""What a theme puts in its search document (lib.search); the themes other records' documents carry."""

from django.utils.translation import gettext_lazy as _

from lib import search
from sessions.models import in_english
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
        label=_("Theme"),
        plural=_("Themes"),
        queryset=Theme.objects.all,
        build=in_english(theme_document),
    )
