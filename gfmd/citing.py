"""Which records cite a source document, as its main source or as a further one, counted as held."""

from django.db.models import Count, F, Q

from lib.counting import has_stages, held, not_held
from recommendations.models import ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Milestone, Roundtable, Session

# (label, model, related rows its link names, label of its records not held), in the order a source page lists
# them. Passages are left out: a source's page quotes them in full.
CITING = [
    ("Meetings", Meeting, (), ""),
    ("Roundtables and clusters", Roundtable, ("meeting",), "Roundtables and clusters as planned"),
    ("Sessions", Session, ("meeting",), "Sessions as planned"),
    (
        "Recommendations and other points",
        Recommendation,
        ("meeting",),
        "Points as planned, or of other events reported beside a meeting",
    ),
    ("Other events reported beside a meeting", Event, ("meeting",), ""),
    ("Sections of the GMG matrix", Section, ("roundtable__meeting",), ""),
    ("GMG proposed activities", ProposedActivity, ("section__roundtable",), ""),
    ("Milestones", Milestone, ("meeting",), ""),
]


def citing(model, source):
    """The records of one model citing the source, each once, of every stage."""
    through = model.other_sources.through
    further = through.objects.filter(sourcedocument=source).values(model._meta.model_name)
    return model.objects.filter(Q(source=source) | Q(pk__in=further))


def groups_of(source):
    """(label, queryset, related, held) of each group a source page lists: the records as held, kind by kind,
    then those only planned."""
    groups = [(label, held(citing(model, source)), related, True) for label, model, related, _ in CITING]
    groups += [
        (other, not_held(citing(model, source)), related, False)
        for _, model, related, other in CITING
        if has_stages(model)
    ]
    return groups


def counts_by_source():
    """{source id: number of records citing it}: two grouped queries per kind of record."""
    totals = {}
    for _, model, _, _ in CITING:
        records = held(model.objects.all())
        for source_id, n in records.order_by().values_list("source").annotate(n=Count("pk")):
            totals[source_id] = totals.get(source_id, 0) + n
        name = model._meta.model_name
        further = (
            model.other_sources.through.objects.filter(**{f"{name}__in": records.values("pk")})
            # A record naming its main source again among the further ones counts once.
            .exclude(**{f"{name}__source": F("sourcedocument")})
            .order_by()
            .values_list("sourcedocument")
            .annotate(n=Count("pk"))
        )
        for source_id, n in further:
            totals[source_id] = totals.get(source_id, 0) + n
    return totals


def citing_page(source, page, page_size):
    """(groups, total, held): the page's records grouped by kind, each group with its label and its full count;
    how many records cite the source in all, and how many of them as held.

    The records run group after group; a page takes only the slices of the groups it overlaps.
    """
    start = (page - 1) * page_size
    end = start + page_size
    groups = []
    total = held_total = 0
    for label, queryset, related, is_held in groups_of(source):
        count = queryset.count()
        first, last = max(start - total, 0), min(end - total, count)
        if first < last:
            records = list(queryset.select_related(*related)[first:last])
            groups.append({"label": label, "count": count, "records": records, "first": first + 1})
        total += count
        held_total += count if is_held else 0
    return groups, total, held_total
