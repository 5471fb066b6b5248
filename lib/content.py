"""The content models: what the public pages show, editors change and the fixtures hold.

A content model is a model that inherits `Versioned` (lib/models.py): an app
declares its records as content by the base it gives them, and this module
finds them in Django's app registry, so that it names none. They come parents
first, each after the models its foreign keys and many-to-many fields point to:
the order in which records are loaded, and the reverse of the order in which
they can be deleted.
"""

from functools import cache

from django.apps import apps

from lib.models import Versioned


@cache
def content_models():
    """Every content model, parents before children; among models that do not depend on each other, in the
    order of INSTALLED_APPS and of their definition."""
    found = [model for model in apps.get_models() if issubclass(model, Versioned)]
    ordered, visiting = [], set()

    def visit(model):
        # A model met again while its parents are visited points to itself (a sub-point to its point).
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for parent in parents(model):
            if parent in found:
                visit(parent)
        ordered.append(model)

    for model in found:
        visit(model)
    return tuple(ordered)


def parents(model):
    """The models this model's rows point to, by a foreign key or a many-to-many field."""
    fields = [*model._meta.fields, *model._meta.many_to_many]
    return [field.related_model for field in fields if field.is_relation and field.related_model is not None]


def sourced_models():
    """The content models that cite a source document."""
    return [model for model in content_models() if any(f.name == "source" for f in model._meta.concrete_fields)]
