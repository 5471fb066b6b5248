"""The reference the facet index (lib.facet_index) is held to: every facet counted by the database.

Each facet is a grouped count with every active filter but its own, on as few
tables as it can be: a column of the list's own table; a foreign key (facets
read through the same key, a meeting's year and slug, share one count); a
many-to-many link table. The counts are joined with UNION ALL, so the database
is asked once, whatever the number of facets.
"""

from collections import defaultdict

from django.db.models import Count, TextField, Value
from django.db.models.functions import Cast

from lib.facet_index import key_values, link_table


def count_all(filterset):
    """{facet: {value: count}} of a valid FacetedFilterSet, as its `indexed_counts()` gives them."""
    model = filterset.queryset.model
    by_key = defaultdict(list)
    parts = {}
    counts = {}
    for name in filterset.facet_names():
        facet = filterset.filters[name]
        head, _, rest = facet.field_name.partition("__")
        field = model._meta.get_field(head)
        if not rest:
            parts[name] = grouped(base_without(filterset, name), facet.field_name)
        elif field.many_to_one and field.concrete:
            # A facet with a condition of its own when absent (stage: held) is counted apart: the others'
            # counts keep that condition, which the grouped counts could not apply in Python.
            by_key[(head, name) if facet.absent is not None else (head,)].append(name)
        elif field.many_to_many and "__" not in rest:
            links, record, target = link_table(model, field)
            base = base_without(filterset, name)
            if base.query.where:
                links = links.filter(**{f"{record}__in": base.values("pk")})
            parts[name] = grouped(links, target)
        else:
            counts[name] = count_path(filterset, name)
    for group, names in by_key.items():
        parts[group] = grouped(base_without(filterset, *names), group[0])
    rows = union_counts(parts)
    for name in filterset.facet_names():
        head, _, rest = filterset.filters[name].field_name.partition("__")
        if name in parts and not rest:
            counts[name] = rows[name]
        elif name in parts:
            values_of = key_values(model._meta.get_field(head).related_model, (rest,))
            counts[name] = {values_of[int(pk)][0]: n for pk, n in rows[name].items() if int(pk) in values_of}
    for group, names in by_key.items():
        n_by_key = {int(pk): n for pk, n in rows[group].items()}
        counts.update(spread_key_counts(filterset, group[0], names, n_by_key))
    return counts


def union_counts(parts):
    """{part: {value: count}} of grouped querysets ({part: queryset with `value`}), in one query."""
    labels = list(parts)
    rows = defaultdict(dict)
    if not labels:
        return rows
    querysets = [
        queryset.annotate(part=Value(i)).values_list("part", "value").annotate(n=Count("pk"))
        for i, queryset in enumerate(parts.values())
    ]
    union = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    for i, value, n in union:
        if value is not None:
            rows[labels[i]][value] = n
    return rows


def filtered_without(filterset, *skipped):
    queryset = filterset.queryset.all()
    for name, value in filterset.form.cleaned_data.items():
        if name not in skipped and name != "sort":
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def base_without(filterset, *names):
    """The records every active filter but these lets through, to count from."""
    queryset = filtered_without(filterset, *names)
    if joins_tables(queryset):
        # A filter joined another table (the search box's related texts): count each record once.
        queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    return queryset


def count_path(filterset, name):
    """Counts of a facet read through a longer path, by a join."""
    path = filterset.filters[name].field_name
    queryset = filtered_without(filterset, name)
    if queryset.query.where:
        queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    rows = queryset.order_by().values_list(path).annotate(n=Count("pk", distinct=True))
    return {str(value): n for value, n in rows if value is not None}


def spread_key_counts(filterset, key, names, n_by_key):
    """Counts of several facets that are fields of the row one foreign key points to.

    The records were counted by the key, with every filter but these facets';
    each facet's counts then apply the other facets' selections to the keys,
    in Python, which is exact since each record has one key.
    """
    paths = tuple(filterset.filters[name].field_name.partition("__")[2] for name in names)
    values_of = key_values(filterset.queryset.model._meta.get_field(key).related_model, paths)
    selected = [set(filterset.form.cleaned_data.get(name) or []) for name in names]
    counts = {name: defaultdict(int) for name in names}
    for pk, n in n_by_key.items():
        values = values_of.get(pk)
        if values is None:
            continue
        for i, name in enumerate(names):
            if all(not chosen or values[j] in chosen for j, chosen in enumerate(selected) if j != i):
                if values[i] is not None:
                    counts[name][values[i]] += n
    return counts


def joins_tables(queryset):
    """Whether the query reads another table than the model's own. A join Django added and then trimmed
    (`event__isnull=True` reads the key alone) stays in the alias map with no reference left."""
    query = queryset.query
    return any(query.alias_refcount[alias] for alias in query.alias_map if alias != query.base_table)


def grouped(queryset, column):
    """The queryset, unordered, with `value`: the column as text, to be counted by."""
    field = queryset.model._meta.get_field(column)
    return queryset.order_by().annotate(value=Cast(field.attname, TextField()))
