"""Facet values shared by every list, read from the database once per content revision."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag

from lib.caching import per_revision


def tags_of(model):
    """The tags used on one model, by name."""

    @per_revision(name=f"tags_of:{model._meta.label_lower}")
    def choices():
        content_type = ContentType.objects.get_for_model(model)
        return list(
            Tag.objects.filter(taggit_taggeditem_items__content_type=content_type)
            .exclude(slug="")  # a value the filter would read as no filter at all
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )

    return choices
