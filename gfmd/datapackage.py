"""The whole knowledge base as a Frictionless Data Package: one CSV per table, described by Table Schemas.

The tables and their schemas are read from the models themselves (every content
model lib/content.py lists, and one link table per many-to-many field), so a new
field or model appears in the package without a change here. Rows are read in
chunks and written as they are read: memory stays bounded at any size.
"""

import datetime
import zipfile
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from lib import content
from lib.spreadsheet import csv_text

# Bookkeeping of the editing console, not content.
SKIPPED_FIELDS = {"version", "loaded_version"}
# Names a researcher knows the tables by, where the model's own plural differs.
NAMES = {
    "recommendations.ProposedActivity": "activities",
    "recommendations.GMGMember": "agencies",
    "gfmd.SourceDocument": "sources",
    "taggit.Tag": "tags",
}
CHUNK = 2000
ZIP_NAME = "gfmd-knowledge-base"

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def package_models():
    """Every model the package holds: the content models, the tables others point to first, and the tags."""
    return [*content.content_models(), Tag]


def resource_name(model):
    return NAMES.get(model._meta.label) or slugify(str(model._meta.verbose_name_plural))


def field_type(field):
    if isinstance(field, models.ForeignKey):
        return field_type(field.target_field)
    if isinstance(field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, models.IntegerField | models.AutoField):
        return {"type": "integer"}
    if isinstance(field, models.DateTimeField):
        return {"type": "datetime"}
    if isinstance(field, models.DateField):
        return {"type": "date"}
    if isinstance(field, models.URLField):
        return {"type": "string", "format": "uri"}
    return {"type": "string"}


def describe_field(field):
    column = {"name": field.attname, **field_type(field)}
    text = field.help_text or (field.verbose_name if field.verbose_name.lower() != field.name.replace("_", " ") else "")
    if text:
        column["description"] = str(text)
    constraints = {}
    if field.primary_key or not (field.null or field.blank):
        constraints["required"] = True
    if field.choices and not field.blank:
        constraints["enum"] = [str(value) for value, _ in field.flatchoices]
    if field.unique and not field.primary_key:
        constraints["unique"] = True
    if constraints:
        column["constraints"] = constraints
    return column


@dataclass
class Table:
    """One resource of the package: its schema, and its rows in chunks."""

    name: str
    fields: list
    primary_key: str | list
    foreign_keys: list
    # values_list of the columns, in the fields' order
    queryset: QuerySet
    title: str = ""
    description: str = ""

    def rows(self):
        return self.queryset.iterator(chunk_size=CHUNK)

    def count(self):
        return self.queryset.count()

    @property
    def path(self):
        return f"{self.name}.csv"

    def resource(self):
        schema = {"fields": self.fields, "primaryKey": self.primary_key}
        if self.foreign_keys:
            schema["foreignKeys"] = self.foreign_keys
        resource = {
            "name": self.name,
            "path": self.path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }
        if self.title:
            resource["title"] = self.title
        if self.description:
            resource["description"] = self.description
        return resource

    def csv_chunks(self):
        """The CSV, a chunk of rows at a time, every value exactly as stored (no spreadsheet guard)."""
        return csv_text([field["name"] for field in self.fields], self.batches())

    def batches(self):
        rows = self.rows()
        while batch := list(islice(rows, CHUNK)):
            yield [[cell(value) for value in row] for row in batch]


def cell(value):
    """A value as the Table Schema's type reads it (None is written as an empty cell)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def model_table(model, names):
    fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]
    foreign_keys = []
    for field in fields:
        if isinstance(field, models.ForeignKey) and field.related_model in names:
            target = field.related_model
            foreign_keys.append(
                {
                    "fields": field.attname,
                    # An empty resource name is this table itself (a sub-point's parent).
                    "reference": {"resource": "" if target is model else names[target], "fields": "id"},
                }
            )
    rows = model._default_manager.order_by("pk").values_list(*[f.attname for f in fields])

    doc = (model.__doc__ or "").strip()
    return Table(
        names[model],
        [describe_field(f) for f in fields],
        "id",
        foreign_keys,
        rows,
        title=str(model._meta.verbose_name_plural).capitalize(),
        description="" if doc.startswith(model.__name__ + "(") else doc,
    )


def link_tables(model, names):
    """One table per many-to-many field: the pairs it links."""
    own = f"{model._meta.model_name}_id"
    for field in model._meta.many_to_many:
        name = f"{names[model]}-{field.name.replace('_', '-')}"
        if isinstance(field, TaggableManager):
            target = Tag
            rows = (
                TaggedItem.objects.filter(
                    content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
                )
                .order_by("object_id", "tag_id")
                .values_list("object_id", "tag_id")
            )

        else:
            target = field.related_model
            through = field.remote_field.through
            source_column = field.m2m_column_name()
            other = field.m2m_reverse_name()
            rows = through.objects.order_by(source_column, other).values_list(source_column, other)

        if target not in names:
            continue
        other_column = f"{target._meta.model_name}_id" if target is not model else f"other_{own}"
        yield Table(
            name,
            [
                {"name": own, "type": "integer", "constraints": {"required": True}},
                {"name": other_column, "type": "integer", "constraints": {"required": True}},
            ],
            [own, other_column],
            [
                {"fields": own, "reference": {"resource": names[model], "fields": "id"}},
                {"fields": other_column, "reference": {"resource": names[target], "fields": "id"}},
            ],
            rows,
            title=f"{model._meta.verbose_name_plural} and their {field.verbose_name}".capitalize(),
        )


def tables():
    found = package_models()
    names = {model: resource_name(model) for model in found}
    result = [model_table(model, names) for model in found]
    for model in found:
        result += list(link_tables(model, names))
    return result


def table(name):
    return next((t for t in tables() if t.name == name), None)


def descriptor(base_url):
    """datapackage.json: the package, its licence, its sources and every table's schema."""
    source_model = apps.get_model("gfmd", "SourceDocument")
    sources = [
        {"title": s.title, "path": s.url or f"{base_url}{s.get_absolute_url()}"}
        for s in source_model.objects.order_by("date", "title")
    ]
    return {
        "profile": "tabular-data-package",
        "name": "gfmd-knowledge-base",
        "title": "GFMD Knowledge Base",
        "description": (
            "What the Global Forum on Migration and Development discussed, proposed and recommended at its first "
            "six meetings, Brussels 2007 to Mauritius 2012, each record quoted from its source document. "
            "Records of every stage are included: `stage` tells held from planned."
        ),
        "homepage": f"{base_url}/",
        "created": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [LICENSE],
        "sources": sources,
        "resources": [t.resource() for t in tables()],
    }


class StreamOut:
    """A write-only file whose bytes are taken away as they come: a zip written into a response."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_chunks(descriptor_json):
    """The package as one zip, written and sent table by table, chunk by chunk."""
    out = StreamOut()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ZIP_NAME}/datapackage.json", descriptor_json)
        yield out.take()
        for t in tables():
            with archive.open(f"{ZIP_NAME}/{t.path}", "w", force_zip64=True) as entry:
                for chunk in t.csv_chunks():
                    entry.write(chunk.encode())
                    yield out.take()
    yield out.take()
