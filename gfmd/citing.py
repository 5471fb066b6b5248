"""Which records cite a source document, as its main source or as a further one, counted as held."""

from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import citation as lib_citation
from lib import sources
from lib.caching import per_revision
from lib.counting import has_stages, held, not_held
from lib.listing import query_suffix
from lib.vocabulary import own_columns
from recommendations.models import ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Milestone, Roundtable, Session

# (key, label, model, related rows its link names, label of its records not held), in the order a source page
# lists them. Passages are left out: a source's page quotes them in full.
CITING = [
    ("meetings", _("Meetings"), Meeting, (), ""),
    ("roundtables", _("Roundtables and clusters"), Roundtable, ("meeting",), _("Roundtables and clusters as planned")),
    ("sessions", _("Sessions"), Session, ("meeting",), _("Sessions as planned")),
    (
        "recommendations",
        _("Recommendations and other points"),
        Recommendation,
        # A point of another event is named by its event.
        ("meeting", "event"),
        _("Points as planned, or of other events reported beside a meeting"),
    ),
    ("events", _("Other events reported beside a meeting"), Event, ("meeting",), ""),
    ("sections", _("Sections of the GMG matrix"), Section, ("roundtable__meeting",), ""),
    ("activities", _("GMG proposed activities"), ProposedActivity, ("section__roundtable",), ""),
    ("milestones", _("Milestones"), Milestone, ("meeting",), ""),
]


def citing(model, source):
    """The records of one model citing the source, each once, of every stage."""
    through = model.other_sources.through
    further = through.objects.filter(sourcedocument=source).values(model._meta.model_name)
    # A translated model's queryset (lib/vocabulary.py) picks the columns of values() in no fixed order,
    # which a UNION of the kinds' counts cannot have: its own columns are read.
    return own_columns(model.objects.filter(Q(source=source) | Q(pk__in=further)))


@dataclass
class Group:
    """The records of one kind citing a source, as held or not: the page's label, how many, and its records."""

    key: str
    label: str
    queryset: QuerySet
    related: tuple[str, ...]  # what select_related reads with each record
    is_held: bool
    count: int = 0

    @property
    def parameter(self):
        return page_parameter(self.key)


def page_parameter(key):
    return f"{key}_page"


def page_parameters():
    """What a source page reads: a citation's format, and the page of each group of records it lists."""
    names = [*lib_citation.FORMAT_PARAMETERS]
    for key, _label, model, _related, _other in CITING:
        names.append(page_parameter(key))
        if has_stages(model):
            names.append(page_parameter(f"{key}-not-held"))
    return names


def groups_of(source):
    """Every group a source page may list, the records as held kind by kind, then those not held, each counted."""
    groups, others = [], []
    for key, label, model, related, other in CITING:
        records = citing(model, source)
        if has_stages(model):
            others.append(Group(f"{key}-not-held", other, not_held(records), related, False))
        groups.append(Group(key, label, held(records), related, True))
    found = citing_counts(source.pk)
    keys = [key for key, *_ in CITING]
    for group in groups + others:
        group.count = found.get((keys.index(group.key.removesuffix("-not-held")), int(group.is_held)), 0)
    return groups + others


@per_revision
def citing_counts(source_pk):
    """{(a kind's place in CITING, 1 as held or 0 not): number of its records citing the source}, kept per
    content revision: one query (a grouped count per kind, held and not held apart, in a UNION ALL)."""
    counts = []
    for index, (_key, _label, model, _related, _other) in enumerate(CITING):
        is_held = Value(1)
        if has_stages(model):
            held_keys = held(model._default_manager.all()).values("pk")
            is_held = Case(When(pk__in=held_keys, then=Value(1)), default=Value(0))
        counts.append(
            citing(model, source_pk)
            .order_by()
            .annotate(citing_kind=Value(index), citing_held=is_held)
            .values("citing_kind", "citing_held")
            .annotate(n=Count("pk"))
        )
    return {(row["citing_kind"], row["citing_held"]): row["n"] for row in counts[0].union(*counts[1:], all=True)}


def counts_by_source():
    """{source id: number of records citing it}, kept per revision (lib.sources.counts_by_source)."""
    return sources.counts_by_source([model for _, _, model, _, _ in CITING])


def citing_page(source, params, page_size):
    """(groups, errors): the groups with records, each showing the page of them its own parameter asks for
    (`sessions_page=2`), a query per group shown."""
    shown, errors = [], {}
    for group in groups_of(source):
        if not group.count:
            continue
        raw = params.get(group.parameter, "1")
        pages = -(-group.count // page_size)
        if not (raw.isascii() and raw.isdigit() and len(raw) < 7) or not 1 <= int(raw) <= pages:
            message = gettext("{parameter} must be a page from 1 to {pages}.")
            errors[group.parameter] = message.format(parameter=group.parameter, pages=pages)
            continue
        group.page = int(raw)
        group.pages = pages
        group.first = (group.page - 1) * page_size + 1
        group.last = min(group.first + page_size - 1, group.count)
        group.records = list(group.queryset.select_related(*group.related)[group.first - 1 : group.last])
        group.previous_url = query_suffix(params, **{group.parameter: group.page - 1}) if group.page > 1 else None
        group.next_url = query_suffix(params, **{group.parameter: group.page + 1}) if group.page < pages else None
        shown.append(group)
    return shown, errors
