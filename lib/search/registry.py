"""What is indexed: the kinds of search document, declared by the apps (gfmd/search_documents.py)."""

from dataclasses import dataclass


@dataclass
class Kind:
    name: str
    model: str  # the model's label, "gfmd_sessions.Session"
    label: str
    plural: str
    queryset: object  # () -> the model's queryset, with what build needs fetched
    build: object  # (record) -> {field: value} of its SearchDocument; "themes" a list of theme pks
    # Among entities the query names, the higher first: the 2012 meeting above a source titled "GFMD 2012 Mauritius".
    priority: int = 0


KINDS = {}
# {model label: (instance) -> [(kind, pk)] of other documents showing something of it}
DEPENDENTS = {}


def register(name, *, model, label, plural, queryset, build, priority=0):
    KINDS[name] = Kind(name, model, label, plural, queryset, build, priority)


def depends(model, targets):
    DEPENDENTS[model] = targets


def kind_of(model):
    for kind in KINDS.values():
        if kind.model == model._meta.label:
            return kind.name
    raise LookupError(f"{model._meta.label} is not searchable.")


def kind_choices():
    return [(kind.name, kind.plural) for kind in KINDS.values()]
