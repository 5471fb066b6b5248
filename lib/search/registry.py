"""What is indexed: the kinds of search document, which each app declares for its own records."""

from dataclasses import dataclass
from functools import cache, partial

from django.utils import translation


@dataclass
class Kind:
    name: str
    model: str  # the model's label, which a record's own _meta.label is compared with
    label: str
    plural: str
    queryset: object  # () -> the model's queryset, with what build needs fetched
    build: object  # (record) -> {field: value} of its search document; "themes" a list of theme pks
    # Among entities the query names, the higher first: the 2012 meeting above a source titled "GFMD 2012 Mauritius".
    priority: int = 0
    # () -> [(value, label)] of the kinds of record this kind's documents say they are (`record_kind`):
    # a recommendation, a follow-up action... The search's kind facet reads them.
    record_kinds: object = None
    # Its records have pages that show the records related to them by wording (lib/related.py); its documents
    # carry the record's own words in `wording`.
    related: bool = False


# Entities first, by priority, then the kinds of record in the order they were registered: the order of the
# type facet, whatever the order in which the apps are ready.
KINDS = {}
# {model label: (instance) -> [(kind, pk)] of other documents showing something of it}
DEPENDENTS = {}
_dependents = {}


def register(name, *, model, label, plural, queryset, build, priority=0, record_kinds=None, related=False):
    KINDS[name] = Kind(name, model._meta.label, label, plural, queryset, build, priority, record_kinds, related)
    record_kind_labels.cache_clear()
    ordered = sorted(KINDS.values(), key=lambda kind: -kind.priority)
    KINDS.clear()
    KINDS.update((kind.name, kind) for kind in ordered)


def depends(model, targets):
    """Documents of other kinds show something of this model's records: `targets(instance)` gives their
    (kind, pk). Each app declares the documents of its own kinds, so a model may have several."""
    label = model._meta.label
    _dependents.setdefault(label, []).append(targets)
    DEPENDENTS[label] = partial(all_dependents, _dependents[label])


def all_dependents(declared, instance):
    return [target for targets in declared for target in targets(instance)]


def kind_of(model):
    for kind in KINDS.values():
        if kind.model == model._meta.label:
            return kind.name
    raise LookupError(f"{model._meta.label} is not searchable.")


def kind_choices():
    return [(kind.name, kind.plural) for kind in KINDS.values()]


def record_kind_choices():
    """[(value, label)] of every kind of record a document can say it is, in the order the apps declare them."""
    choices = {}
    for kind in KINDS.values():
        if kind.record_kinds:
            choices.update((str(value), str(label)) for value, label in kind.record_kinds())
    return list(choices.items())


def record_kind_label(value):
    """What a document's `record_kind` is called: "Follow-up action" for `follow-up`."""
    return record_kind_labels(translation.get_language()).get(value, value)


@cache
def record_kind_labels(language):
    """{value: label} in `language`, the active one: a search CSV names the kind of each of its rows."""
    return dict(record_kind_choices())


def joined(*parts):
    """A document's text from the parts a record has, one a line."""
    return "\n".join(part for part in parts if part)
