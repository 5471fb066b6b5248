"""The API's OpenAPI 3.1 description, written from the declarations the lists run on.

A list's parameters are its FilterSet's filters (their choices read from the
database as the filters read them) and the paging parameters; its results are
its columns; its facets are its FacetFilters. Nothing is described twice, so
the description cannot drift from what the API answers.
"""

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

import django_filters

from lib.listing import MAX_FACET_SIZE, MAX_PAGE_SIZE, NOT_IN_SOURCES, FacetFilter

OPENAPI_VERSION = "3.1.0"

ERRORS = {
    "type": "object",
    "description": "What was wrong with the request: each parameter at fault with its messages.",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}
FACET_VALUE = {
    "type": "object",
    "required": ["value", "label", "count"],
    "properties": {
        "value": {"type": "string", "description": "What to pass to the parameter of the same name."},
        "label": {"type": "string"},
        "count": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "How many records this value would give, with every other filter applied; null for "
            "a meeting whose records of this kind are not in the sources (unknown, not zero).",
        },
        "coverage": {
            "type": "string",
            "enum": ["complete", "partial", NOT_IN_SOURCES],
            "description": "Of a meeting (or its year): whether the sources give all, some or none of its "
            "records of this kind.",
        },
    },
}
DEFAULTS = {
    "type": "object",
    "description": "What the list shows when a parameter is left out (`stage`: `held`; `event`: null, the "
    "meetings' own points), and how many records that left out: `left_out` maps the parameter that shows "
    "them (`stage=planned`) to their number under the other filters.",
    "required": ["left_out", "note"],
    "properties": {
        "left_out": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "note": {"type": "string"},
    },
}
FORMAT = {
    "name": "format",
    "in": "query",
    "description": "`json`, the only format of the API, or left out. Any other value is a 400; the CSV of a "
    "list's view is its page's address with `format=csv`, and its Atom feed of its records' latest changes "
    "the same address with `format=atom`.",
    "schema": {"type": "string", "enum": ["json"]},
}
SEARCH = "Words the records must contain: quoted phrases, `or`, and `-word` to exclude."
# The parameters a list takes besides its filters, by name, where a list declares them (its `parameters()`).
CONTROLS = {
    "facet_size": {
        "description": "How many values of each facet, the most frequent first, or `all`.",
        "schema": {
            "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_FACET_SIZE},
                {"type": "string", "enum": ["all"]},
            ]
        },
    },
}
# Described apart (FORMAT): the API takes one format, a list's page another.
PAGE_ONLY = {"format"}
PAGING = [
    {
        "name": "page",
        "in": "query",
        "description": "The page of results, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
    },
    {
        "name": "page_size",
        "in": "query",
        "description": f"Results per page, at most {MAX_PAGE_SIZE}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
]


def enum_of(choices):
    return [str(value) for value, _ in choices]


def filter_parameter(name, filter_):
    """One query parameter, as the filter reads it."""
    description = str(filter_.label or name)
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        schema = {"type": "array", "items": {"type": "string", "enum": enum_of(filter_.field.choices)}}
        description += ". Repeat the parameter for several values: they combine with OR."
        if getattr(filter_, "absent", None) is not None:
            description += f" {filter_.default_note} The answer's `defaults.left_out` counts what it leaves out."
        return {
            "name": name,
            "in": "query",
            "description": description,
            "style": "form",
            "explode": True,
            "schema": schema,
        }
    if isinstance(filter_, django_filters.OrderingFilter):
        values = [value for value in enum_of(filter_.field.choices) if value]
        return {"name": name, "in": "query", "description": description, "schema": {"type": "string", "enum": values}}
    if name == "q":
        description = SEARCH
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


def column_schema(column):
    types = list(column.type) if isinstance(column.type, tuple | list) else column.type
    schema = {"type": types}
    if "array" in (types if isinstance(types, list) else [types]):
        schema["items"] = column.items if isinstance(column.items, dict) else {"type": column.items}
    if column.format:
        schema["format"] = column.format
    if column.description:
        schema["description"] = column.description
    return schema


def contract_record(fields):
    """A record as the API contract names its fields ({name: JSON Schema}); it may carry more."""
    return {"type": "object", "required": list(fields), "properties": fields}


def record_schema(columns):
    shown = [column for column in columns if column.json]
    return {
        "type": "object",
        "required": [column.name for column in shown],
        "properties": {column.name: column_schema(column) for column in shown},
        "additionalProperties": False,
    }


def page_schema(record, facets=(), coverage=None):
    """The answer every list gives: a page of records, links to its neighbours, its defaults and the facets;
    `coverage`, the schema of what a list filtered to meetings says the sources cover of them, if it can."""
    link = {"type": ["string", "null"], "format": "uri"}
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results", "defaults", "facets"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "Matching records, before paging."},
            "next": link,
            "previous": link,
            "results": {"type": "array", "items": record},
            "defaults": DEFAULTS,
            **({"coverage": coverage} if coverage else {}),
            "facets": {
                "type": "object",
                "required": list(facets),
                "properties": {name: {"type": "array", "items": FACET_VALUE} for name in facets},
                "additionalProperties": False,
            },
        },
    }


@dataclass
class Endpoint:
    """One GET endpoint of the API: where it is, what it says it does, its parameters and its records."""

    path: str
    name: str
    summary: str
    record: dict  # the JSON Schema of one record
    parameters: Callable[[], list] | Sequence[dict] = ()
    facets: Sequence[str] = ()
    paged: bool = False
    required: Set[str] = frozenset()  # the parameters a request must give
    description: str = ""  # what it shows when parameters are left out
    coverage: dict | None = None  # the schema of the answer's `coverage`, where the list gives one
    answer: dict | None = None  # the schema of the whole answer, where it is not a list's page
    media_type: str = "application/json"

    @classmethod
    def for_list(cls, listing, name, summary):
        """A faceted list's endpoint: its filters, its controls, its columns and its facets."""
        filters = listing.filterset_class.base_filters
        paging = {parameter["name"] for parameter in PAGING}
        controls = [
            {"name": control, "in": "query", **CONTROLS.get(control, {"schema": {"type": "string"}})}
            for control in listing.parameters()
            if control not in filters and control not in paging and control not in PAGE_ONLY
        ]
        notes = [str(f.default_note) for f in filters.values() if getattr(f, "absent", None) is not None]
        return cls(
            listing.api_path,
            name,
            summary,
            record=record_schema(listing.columns),
            parameters=lambda: [filter_parameter(n, f) for n, f in filters.items()] + controls + [FORMAT],
            facets=[n for n, f in filters.items() if isinstance(f, FacetFilter)],
            paged=True,
            required={n for n, f in filters.items() if f.extra.get("required")},
            description=" ".join(notes) or "Nothing is left out by default.",
            coverage=listing.filterset_class.selected_coverage_schema,
        )

    def operation(self):
        parameters = self.parameters() if callable(self.parameters) else list(self.parameters)
        for parameter in parameters:
            if parameter["name"] in self.required:
                parameter["required"] = True
        if self.paged:
            parameters += PAGING
        answer = self.answer or page_schema(self.record, self.facets, self.coverage)
        description = self.description
        if self.answer is None:
            description += (
                " Each answer says so in `defaults`, with how many records the defaults left out and the "
                "parameter that shows them."
            )
        return {
            "operationId": self.name,
            "summary": self.summary,
            "description": description,
            "parameters": parameters,
            "responses": {
                "200": {"description": "A page of results.", "content": {self.media_type: {"schema": answer}}},
                "400": {
                    "description": "A parameter the list cannot read, a page out of range, or a format other "
                    "than json.",
                    "content": {"application/json": {"schema": ERRORS}},
                },
            },
        }


def document(endpoints, *, title, version, description, server):
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": server}],
        "paths": {endpoint.path: {"get": endpoint.operation()} for endpoint in endpoints},
    }


def type_label(schema):
    if "oneOf" in schema:
        return " or ".join(type_label(option) for option in schema["oneOf"])
    if "enum" in schema and schema.get("type") == "string" and len(schema["enum"]) == 1:
        return f"`{schema['enum'][0]}`"
    types = schema.get("type", "any")
    types = types if isinstance(types, list) else [types]
    label = " or ".join("list of " + type_label(schema.get("items", {})) if t == "array" else t for t in types)
    return label + (f" ({schema['format']})" if schema.get("format") else "")


def readable(document):
    """The description as a page shows it: per endpoint, its parameters and its records' fields as rows."""
    operations = []
    for path, item in document["paths"].items():
        operation = item["get"]
        (answer,) = operation["responses"]["200"]["content"].values()
        page = answer["schema"]
        # A list's page holds its `results`; a page of annotations (JSON-LD) its `items`.
        record = (page["properties"].get("results") or page["properties"]["items"])["items"]
        parameters = []
        for parameter in operation["parameters"]:
            schema = parameter["schema"]
            values = schema.get("enum") or schema.get("items", {}).get("enum") or []
            parameters.append(
                {
                    "name": parameter["name"],
                    "type": type_label(schema),
                    "required": parameter.get("required", False),
                    "description": parameter.get("description", ""),
                    "values": values,
                }
            )
        fields = [
            {"name": name, "type": type_label(schema), "description": schema.get("description", "")}
            for name, schema in record["properties"].items()
        ]
        operations.append(
            {
                "path": path,
                "id": operation["operationId"],
                "summary": operation["summary"],
                "description": operation.get("description", ""),
                "parameters": parameters,
                "fields": fields,
                "facets": list(page["properties"].get("facets", {}).get("properties", {})),
            }
        )
    return operations
