"""Faceted lists: one FilterSet drives the HTML page, the JSON API and the CSV.

Several values of one facet combine with OR, different facets with AND. Each
facet value is counted with every *other* active filter applied (disjunctive
faceting), so choosing one agency does not hide the others' counts.
"""

import csv

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from lib import search

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
CONTROL_PARAMS = {"page", "page_size", "format"}


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Several values combine with OR.

    The filter is a subquery on the primary key, so that a path through a
    many-to-many field (themes, tags, agencies) neither repeats rows nor makes
    the whole list SELECT DISTINCT.

    `absent` is the condition a list keeps when the parameter is not given
    (a stage facet shows what was held unless the reader asks for plans).
    """

    def __init__(self, *args, absent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.absent = absent

    def filter(self, qs, value):
        if not value:
            return qs if self.absent is None else qs.filter(self.absent)
        matching = qs.model._default_manager.filter(**{f"{self.field_name}__in": value}).values("pk")
        return qs.filter(pk__in=matching)


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose `facets` maps a filter's name to the field path it counts."""

    facets = {}

    q = django_filters.CharFilter(method="filter_text", label="Search")

    def filter_text(self, queryset, name, value):
        # The record's search document holds the text of its rows too (an activity's objectives).
        return search.filter_queryset(queryset, value)

    @property
    def search_notices(self):
        """What the search left out of the query (words past the limit), for the reader."""
        q = self.form.cleaned_data.get("q") if hasattr(self.form, "cleaned_data") else None
        return search.parse(q).notices if q else []

    def filtered_without(self, skipped):
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != skipped and name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_counts(self):
        """{facet: [{"value", "label", "count", "selected"}]}, values in their natural order."""
        model = self.queryset.model
        result = {}
        for name, path in self.facets.items():
            matching = self.filtered_without(name)
            if "__" in path:
                # A path across a relation joins: count over the matching keys, so no filter's rows repeat.
                matching = model.objects.filter(pk__in=matching.values("pk"))
            # Each record holds a value once, so a plain count is exact.
            counts = dict(matching.order_by().values_list(path).annotate(n=Count("pk")))
            counts = {str(value): n for value, n in counts.items() if value is not None}
            selected = set(self.form.cleaned_data.get(name) or [])
            result[name] = [
                {
                    "value": str(value),
                    "label": str(label),
                    "count": counts.get(str(value), 0),
                    "selected": str(value) in selected,
                }
                for value, label in self.filters[name].field.choices
            ]
        return result


def parse_paging(params):
    """(page, page_size, errors): positive whole numbers, page size at most MAX_PAGE_SIZE."""
    errors = {}
    values = {}
    for name, default, upper in (("page", 1, None), ("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = params.get(name, "")
        if raw == "":
            values[name] = default
            continue
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 9:
            errors[name] = [f"{name} must be a whole number from 1" + (f" to {upper}." if upper else ".")]
            continue
        if upper and int(raw) > upper:
            errors[name] = [f"{name} must be at most {upper}; ask for the next page instead."]
            continue
        values[name] = int(raw)
    return values.get("page", 1), values.get("page_size", DEFAULT_PAGE_SIZE), errors


class FacetedList:
    """Everything one faceted list needs: its FilterSet, queryset and output formats."""

    def __init__(self, *, filterset_class, queryset, template, title, noun, to_json, csv_columns, api_path):
        self.filterset_class = filterset_class
        self.queryset = queryset
        self.template = template
        self.title = title
        self.noun = noun
        self.to_json = to_json
        self.csv_columns = csv_columns
        self.api_path = api_path

    def run(self, request):
        params = request.GET
        page_number, page_size, errors = parse_paging(params)
        filter_params = params.copy()
        for name in CONTROL_PARAMS:
            filter_params.pop(name, None)
        filterset = self.filterset_class(filter_params, queryset=self.queryset)
        if not filterset.is_valid():
            errors.update({name: list(messages) for name, messages in filterset.errors.items()})
        if errors:
            return filterset, None, None, errors
        paginator = Paginator(filterset.qs, page_size)
        if page_number > paginator.num_pages:
            pages = paginator.num_pages
            errors["page"] = [f"There is no page {page_number}: this list has {pages} page{'s' if pages != 1 else ''}."]
            return filterset, None, None, errors
        return filterset, paginator.page(page_number), filterset.facet_counts(), errors

    def html(self, request):
        if request.GET.get("format") == "csv":
            return self.csv(request)
        if request.GET.get("format") not in (None, "", "html"):
            return render(request, "400.html", {"message": "format must be csv, or left out."}, status=400)
        filterset, page, facets, errors = self.run(request)
        context = {
            "title": self.title,
            "noun": self.noun,
            "filterset": filterset,
            "page": page,
            "facets": facets and facet_links(request, facets, filterset),
            "errors": errors,
            "api_url": self.api_path + query_suffix(request.GET),
            "csv_url": request.path + query_suffix(request.GET, format="csv", page=None, page_size=None),
            "clear_url": request.path,
            "page_links": page and page_links(request, page),
            "active": page and active_filters(request, facets, filterset),
        }
        return render(request, self.template, context, status=400 if errors else 200)

    def api(self, request):
        filterset, page, facets, errors = self.run(request)
        if errors:
            return JsonResponse({"errors": errors}, status=400)
        base = request.build_absolute_uri(request.path)
        return JsonResponse(
            {
                "count": page.paginator.count,
                "next": base + query_suffix(request.GET, page=page.next_page_number()) if page.has_next() else None,
                "previous": base + query_suffix(request.GET, page=page.previous_page_number())
                if page.has_previous()
                else None,
                "results": [self.to_json(obj) for obj in page.object_list],
                **({"notices": filterset.search_notices} if filterset.search_notices else {}),
                "facets": {
                    name: [{"value": v["value"], "label": v["label"], "count": v["count"]} for v in values]
                    for name, values in facets.items()
                },
            },
            json_dumps_params={"ensure_ascii": False},
        )

    def csv(self, request):
        params = request.GET.copy()
        for name in CONTROL_PARAMS:
            params.pop(name, None)
        filterset = self.filterset_class(params, queryset=self.queryset)
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.api_path.strip("/").split("/")[-1]}.csv"'
        writer = csv.writer(response)
        writer.writerow([header for header, _ in self.csv_columns])
        for obj in filterset.qs:
            writer.writerow([value(obj, request) for _, value in self.csv_columns])
        return response


def query_suffix(params, **changes):
    """The query string with some parameters replaced (None removes them), or ''."""
    params = params.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def toggled(params, name, value):
    params = params.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else values + [value])
    params.pop("page", None)
    return params


def facet_links(request, facets, filterset):
    """Facets for the page: each value with the link that adds it to, or takes it from, the filter."""
    groups = []
    for name, values in facets.items():
        items = [
            value | {"url": request.path + query_suffix(toggled(request.GET, name, value["value"]))}
            for value in values
            if value["count"] or value["selected"]
        ]
        active = any(value["selected"] for value in values)
        groups.append({"name": name, "label": filterset.filters[name].label, "values": items, "active": active})
    return groups


def active_filters(request, facets, filterset):
    """What the list is filtered by, each with a link that removes it."""
    active = []
    for name, values in facets.items():
        for value in values:
            if value["selected"]:
                url = request.path + query_suffix(toggled(request.GET, name, value["value"]))
                active.append({"label": f"{filterset.filters[name].label}: {value['label']}", "url": url})
    q = filterset.form.cleaned_data.get("q")
    if q:
        active.append({"label": f"Search: {q}", "url": request.path + query_suffix(request.GET, q=None, page=None)})
    return active


def page_links(request, page):
    links = {}
    if page.has_previous():
        links["previous"] = request.path + query_suffix(request.GET, page=page.previous_page_number())
    if page.has_next():
        links["next"] = request.path + query_suffix(request.GET, page=page.next_page_number())
    return links
