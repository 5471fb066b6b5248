"""Facet values in their natural order, read from the database when a list is built."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag


def meeting_years():
    from sessions.models import Meeting

    return [(year, str(year)) for year in Meeting.objects.values_list("year", flat=True)]


def meetings():
    from sessions.models import Meeting

    return [(m.slug, f"{m.city} {m.year}") for m in Meeting.objects.only("slug", "city", "year")]


def themes():
    from themes.models import Theme

    return list(Theme.objects.values_list("slug", "name"))


def tags_of(model_path):
    """The tags used on one model, by name."""

    def choices():
        from django.apps import apps

        content_type = ContentType.objects.get_for_model(apps.get_model(model_path))
        return list(
            Tag.objects.filter(taggit_taggeditem_items__content_type=content_type)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    return choices
