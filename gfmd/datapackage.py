"""The whole knowledge base as a Frictionless Data Package: one CSV per table, described by Table Schemas.

The tables and their schemas are read from the models themselves (every content
model lib/content.py lists, and one link table per many-to-many field), so a new
field or model appears in the package without a change here. Each table of
records also gives what a researcher filters and joins on without a join of
their own: its meeting's year and short name, its stage where records may be
planned, and its page's address. The columns are described for the people who
use the data (gfmd/codebook.py), and the package carries a README, its codebook,
and CITATION.cff. Rows are read in chunks and written as they are read: memory
stays bounded at any size.
"""

import datetime
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import islice

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from gfmd import codebook
from gfmd.models import Anchor, SourceText
from lib import content
from lib.caching import per_revision
from lib.counting import has_stages
from lib.links import link_to
from lib.spreadsheet import csv_text
from lib.vocabulary import is_translation, own_columns

# Bookkeeping of the editing console, not content.
SKIPPED_FIELDS = {"version", "loaded_version"}
# Names a researcher knows the tables by, where the model's own plural differs.
NAMES = {
    "recommendations.ProposedActivity": "activities",
    "recommendations.GMGMember": "agencies",
    "gfmd.SourceDocument": "sources",
    "recommendations.Link": "links",
    "taggit.Tag": "tags",
}
# Columns the tables of records kept when their fields became links by editors (links.csv): the record
# a link of this type goes to from the row, as the field gave it. {model: (column, link type, target kind)}
LINK_COLUMNS = {
    "gfmd_sessions.Session": ("held_as_id", "held-as", "session"),
    "recommendations.Recommendation": ("also_reported_as_id", "also-reported-as", "recommendation"),
}
CHUNK = 2000
ZIP_NAME = "gfmd-knowledge-base"

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
# What the licence covers, and what it does not.
LICENSE_SCOPE = (
    "The Creative Commons Attribution 4.0 licence covers the knowledge base's own structure and editorial text: "
    "the tables and their columns, the numbering, themes, tags and links between records, coverage notes and "
    "editorial notes. The passages quoted from the source documents (texts, titles, summaries) stay under their "
    "sources' own terms: sources.csv names each source, its issuer and where to read it."
)
TITLE = "GFMD Knowledge Base"
DESCRIPTION = (
    "What the Global Forum on Migration and Development discussed, proposed and recommended at its first six "
    "meetings, Brussels 2007 to Mauritius 2012, each record quoted from its source document. Records of every "
    "stage are included: `stage` tells held from planned, and a count of what a meeting held counts the held "
    "rows. A meeting's coverage says where our sources give none of its records: not in our sources, not zero."
)
AUTHOR = "GFMD Knowledge Base"


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


def describe_field(field, table):
    column = {"name": field.attname, **field_type(field)}
    # Written for the people who use the data; the models' help texts are the editors'.
    if text := codebook.column_description(table, field.attname):
        column["description"] = text
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
    # Columns read through the record's relations, placed after its id (see Derived).
    derived: list = dataclass_field(default_factory=list)
    # A link table is left out of the package when it has no rows; a table of records says why it has none.
    is_link: bool = False
    row_count: int | None = None

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
        if description := self.full_description():
            resource["description"] = description
        return resource

    def full_description(self):
        if self.row_count == 0:
            reason = codebook.EMPTY_REASONS.get(self.name, "our sources give none yet")
            return f"{self.description} Empty in this release: {reason}.".strip()
        return self.description

    def csv_chunks(self):
        """The CSV, a chunk of rows at a time, every value exactly as stored (no spreadsheet guard)."""
        return csv_text([field["name"] for field in self.fields], self.batches())

    def batches(self):
        rows = self.rows()
        while batch := list(islice(rows, CHUNK)):
            yield [self.cells(row) for row in batch]

    def cells(self, row):
        """A row's cells in the columns' order: its id, the derived columns, then its other fields."""
        width = len(self.fields) - len(self.derived)
        own = [cell(value) for value in row[:width]]
        derived, at = [], width
        for column in self.derived:
            values = row[at : at + len(column.paths)]
            at += len(column.paths)
            derived.append(cell(column.make(*values) if column.make else values[0]))
        return own[:1] + derived + own[1:]


def cell(value):
    """A value as the Table Schema's type reads it (None is written as an empty cell)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def model_table(model, names, base_url):
    # The package is English: a translated field's own column, without its other languages'.
    fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS and not is_translation(f)]
    fields.sort(key=lambda f: not f.primary_key)  # the id first: the derived columns follow it
    derived = derived_columns(model, base_url)
    foreign_keys = [
        {"fields": column.name, "reference": {"resource": "", "fields": "id"}}
        for column in derived
        if column.name.endswith("_id")
    ]
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
    paths = [f.attname for f in fields] + [path for column in derived for path in column.paths]
    rows = own_columns(model._default_manager.order_by("pk")).values_list(*paths)
    name = names[model]
    described = [describe_field(f, name) for f in fields]
    return Table(
        name,
        described[:1] + [column.describe(name) for column in derived] + described[1:],
        "id",
        foreign_keys,
        rows,
        title=str(model._meta.verbose_name_plural).capitalize(),
        description=codebook.table_description(name),
        derived=derived,
    )


@dataclass(frozen=True)
class Derived:
    """A column the package adds to a table of records: a value read through the record's relations (its
    meeting's year), or made from several (its page's address)."""

    name: str
    paths: tuple[str, ...]
    type: dict
    make: Callable | None = None  # the values at `paths` -> the cell; None: the one value as it is

    def describe(self, table):
        return {"name": self.name, **self.type, "description": codebook.column_description(table, self.name)}


def relation_path(model, wanted, depth=4):
    """The shortest path of foreign keys from model to a model `wanted` accepts ("section__roundtable"), or
    None. Its source, a record's parent, and a plan's or restatement's twin are not its place."""
    paths = [("", model)]
    for _ in range(depth):
        following = []
        for path, current in paths:
            for f in current._meta.concrete_fields:
                if not isinstance(f, models.ForeignKey) or f.related_model in (current, model):
                    continue
                if f.name == "source" or f.related_model is apps.get_model("gfmd", "SourceDocument"):
                    continue
                step = f"{path}__{f.name}" if path else f.name
                if wanted(f.related_model):
                    return step
                following.append((step, f.related_model))
        paths = following
    return None


def derived_columns(model, base_url):
    """year, meeting and stage where they apply and the record lacks them, and page_url."""
    own = {f.name for f in model._meta.concrete_fields}
    meeting_model = apps.get_model("gfmd_sessions", "Meeting")
    columns = []
    if model is apps.get_model("recommendations", "Link"):
        return columns  # it joins two records, of one meeting or of two: no meeting or page of its own
    to_meeting = None if model is meeting_model else relation_path(model, lambda m: m is meeting_model)
    if to_meeting:
        columns.append(Derived("year", (f"{to_meeting}__year",), {"type": "integer"}))
        columns.append(Derived("meeting", (f"{to_meeting}__slug",), {"type": "string"}))
    if has_stages(model) and "stage" not in own:
        to_stage = relation_path(model, lambda m: "stage" in {f.name for f in m._meta.concrete_fields})
        columns.append(Derived("stage", (f"{to_stage}__stage",), {"type": "string"}))
    if kept := LINK_COLUMNS.get(model._meta.label):
        columns.append(Derived(kept[0], (linked(model, *kept[1:]),), {"type": "integer"}))
    if link := page_links().get(model._meta.label):
        paths, make = link
        columns.append(
            Derived("page_url", paths, {"type": "string", "format": "uri"}, lambda *v, make=make: base_url + make(*v))
        )
    return columns


def linked(model, link_type, target):
    """The record a link of this type goes to from the row (the first, where there could be several)."""
    link = apps.get_model("recommendations", "Link")
    kind = model._meta.model_name
    links = link._default_manager.filter(type=link_type, **{f"from_{kind}": OuterRef("pk")}).order_by("pk")
    return Subquery(links.values(f"to_{target}")[:1])


def page_links():
    """{model label: (the fields its page's address is made of, the function making it)}: each record's
    get_absolute_url, from values rather than a model instance a row."""
    meeting = link_to("sessions:meeting", "slug")
    source = link_to("gfmd:source", "slug")
    activity = link_to("recommendations:activity", "pk")
    roundtable = apps.get_model("gfmd_sessions", "Roundtable")

    def on_meeting_page(prefix):
        fields = ("meeting__slug", "track", "stage", "kind", "number")
        return tuple(prefix + f for f in fields), lambda slug, *f: f"{meeting(slug)}#{roundtable.anchor_of(*f)}"

    return {
        "gfmd_sessions.Meeting": (("slug",), meeting),
        "gfmd_sessions.Roundtable": on_meeting_page(""),
        "recommendations.Section": on_meeting_page("roundtable__"),
        "gfmd_sessions.Session": (("meeting__slug", "slug"), link_to("sessions:session", "meeting", "slug")),
        "gfmd_sessions.Milestone": (("meeting__slug",), lambda slug: meeting(slug) + "#milestones"),
        "gfmd_sessions.Event": (("slug",), link_to("sessions:event", "slug")),
        "gfmd_sessions.Passage": (
            ("meeting__slug", "source__slug"),
            lambda slug, of_source: meeting(slug) + "#passages" if slug else source(of_source),
        ),
        "recommendations.Recommendation": (("pk",), link_to("recommendations:recommendation", "pk")),
        "recommendations.ProposedActivity": (("pk",), activity),
        "recommendations.SubActivity": (("activity_id",), activity),
        "recommendations.Objective": (("activity_id",), activity),
        "recommendations.GMGMember": (("acronym",), link_to("recommendations:gmg_member", "acronym")),
        "themes.Theme": (("slug",), link_to("themes:detail", "slug")),
        "gfmd.SourceDocument": (("slug",), source),
    }


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
        required = {"constraints": {"required": True}}
        yield Table(
            name,
            [
                {"name": own, "type": "integer", "description": codebook.column_description(name, own), **required},
                {
                    "name": other_column,
                    "type": "integer",
                    "description": codebook.column_description(name, other_column),
                    **required,
                },
            ],
            [own, other_column],
            [
                {"fields": own, "reference": {"resource": names[model], "fields": "id"}},
                {"fields": other_column, "reference": {"resource": names[target], "fields": "id"}},
            ],
            rows,
            title=f"{model._meta.verbose_name_plural} and their {field.verbose_name}".capitalize(),
            description=f"Which {names[target]} each row of {names[model]}.csv is linked to: one row per pair.",
            is_link=True,
        )


def every_table(base_url=""):
    """Every table the package may hold, whether or not it has rows."""
    found = package_models()
    names = {model: resource_name(model) for model in found}
    result = [model_table(model, names, base_url) for model in found]
    for model in found:
        result += list(link_tables(model, names))
    return result + reading_tables(names, base_url)


def reading_tables(names, base_url):
    """The sources' stored texts, and the anchors of the records' quoted texts in them (lib/anchoring.py)."""
    texts = Table(
        "source-texts",
        described("source-texts", [("source_id", "integer", True), ("text", "string", True)]),
        "source_id",
        [{"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}}],
        SourceText.objects.order_by("source_id").values_list("source_id", "text"),
        title="Texts of the sources",
        description=codebook.table_description("source-texts"),
    )
    tables_by_model = {f"{model._meta.app_label}.{model._meta.model_name}": names[model] for model in names}
    columns = [("id", "integer", True), ("record_table", "string", True), ("source_id", "integer", True)]
    columns += [("record_id", "integer", True), ("field", "string", True), ("piece", "integer", True)]
    columns += [("start", "integer", True), ("end", "integer", True), ("exact", "string", True)]
    columns += [("prefix", "string", False), ("suffix", "string", False), ("repairs", "string", False)]
    columns += [("page_url", "string", True)]
    anchors = AnchorTable(
        "anchors",
        described("anchors", columns),
        "id",
        [{"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}}],
        Anchor.objects.order_by("pk").values_list(*ANCHOR_COLUMNS),
        title="Anchors of the records in the sources' texts",
        description=codebook.table_description("anchors"),
    )
    anchors.base_url, anchors.tables_by_model = base_url, tables_by_model
    return [texts, anchors]


ANCHOR_COLUMNS = (
    *("pk", "source_id", "object_id", "field", "piece", "start", "end", "exact", "prefix", "suffix", "repairs"),
    *("url", "content_type__app_label", "content_type__model"),
)


class AnchorTable(Table):
    base_url = ""
    tables_by_model = {}

    def cells(self, row):
        """An anchor's row: its id, its record's table, then its own columns, its record's page absolute."""
        *own, app, model = row
        own[-1] = self.base_url + own[-1]
        return [own[0], self.tables_by_model.get(f"{app}.{model}", model), *own[1:]]


def described(table, columns):
    return [
        {
            "name": name,
            "type": kind,
            "description": codebook.column_description(table, name),
            **({"constraints": {"required": True}} if required else {}),
        }
        for name, kind, required in columns
    ]


@per_revision
def row_counts():
    return {t.name: t.count() for t in every_table()}


def tables(base_url=""):
    """The package's tables, each with its number of rows: a link table without rows is left out."""
    counts = row_counts()
    kept = [t for t in every_table(base_url) if counts[t.name] or not t.is_link]
    for t in kept:
        t.row_count = counts[t.name]
    return kept


def table(name, base_url=""):
    """One table of the package, read alone (a CSV's download counts no other table), or None."""
    found = next((t for t in every_table(base_url) if t.name == name), None)
    if found is None or (found.is_link and not found.queryset.exists()):
        return None
    return found


def created():
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def citation(base_url, when):
    """How to cite the package as a whole."""
    return (
        f"{AUTHOR} ({when:%Y}). {TITLE}: what the Global Forum on Migration and Development discussed, proposed "
        f"and recommended at its first six meetings, 2007-2012 [Data set], version of {when:%Y-%m-%d}. "
        f"{base_url}/data/. Licence CC BY 4.0 (quoted passages under their sources' terms)."
    )


def sources(base_url):
    source_model = apps.get_model("gfmd", "SourceDocument")
    return [
        {
            "title": s.title,
            "path": s.url or f"{base_url}{s.get_absolute_url()}",
            "issuer": s.issuer,
            "date": s.date.isoformat() if s.date else None,
        }
        for s in source_model.objects.order_by("date", "title")
    ]


def descriptor(base_url, package_tables=None, when=None):
    """datapackage.json: the package, its licence, its citation, its sources and every table's schema."""
    when = when or created()
    package_tables = tables(base_url) if package_tables is None else package_tables
    return {
        "profile": "tabular-data-package",
        "name": "gfmd-knowledge-base",
        "title": TITLE,
        "description": DESCRIPTION + " README.md is the codebook. " + LICENSE_SCOPE,
        "homepage": f"{base_url}/",
        "created": when.isoformat().replace("+00:00", "Z"),
        "citation": citation(base_url, when),
        "contributors": [{"title": AUTHOR, "role": "author", "path": f"{base_url}/"}],
        "licenses": [LICENSE],
        "sources": sources(base_url),
        "resources": [t.resource() for t in package_tables],
    }


def codebook_context(base_url, package_tables, when):
    """What the README and the data page say: the package, how to read it, and every table's columns."""
    return {
        "title": TITLE,
        "citation": citation(base_url, when),
        "created": when,
        "base_url": base_url,
        "license": LICENSE,
        "license_scope": LICENSE_SCOPE,
        "guide": codebook.GUIDE,
        "sources": sources(base_url),
        "tables": [
            {
                "name": t.name,
                "path": t.path,
                "title": t.title,
                "description": t.full_description(),
                "rows": t.row_count,
                "fields": t.fields,
            }
            for t in package_tables
        ],
    }


def readme(context):
    return render_to_string("gfmd/data_readme.md", context)


def citation_cff(context):
    """CITATION.cff (Citation File Format 1.2.0): the package as a data set, and the documents it quotes."""
    text = json.dumps
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this data set, please cite it as below."',
        "type: dataset",
        f"title: {text(context['title'])}",
        "authors:",
        f"  - name: {text(AUTHOR)}",
        f"date-released: {context['created']:%Y-%m-%d}",
        f"version: {text(context['created'].strftime('%Y-%m-%d'))}",
        f"url: {text(context['base_url'] + '/data/')}",
        "license: CC-BY-4.0",
        f"abstract: {text(DESCRIPTION)}",
        "references:",
    ]
    for source in context["sources"]:
        lines += [
            "  - type: generic",
            f"    title: {text(source['title'])}",
            "    authors:",
            f"      - name: {text(source['issuer'] or 'Global Forum on Migration and Development')}",
            f"    url: {text(source['path'])}",
        ]
        if source["date"]:
            lines.append(f"    date-published: {source['date']}")
    return "\n".join(lines) + "\n"


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


def zip_chunks(base_url):
    """The package as one zip, written and sent table by table, chunk by chunk: its descriptor, README (the
    codebook) and CITATION.cff first."""
    when = created()
    package_tables = tables(base_url)
    context = codebook_context(base_url, package_tables, when)
    out = StreamOut()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        descriptor_json = json.dumps(descriptor(base_url, package_tables, when), ensure_ascii=False, indent=2)
        archive.writestr(f"{ZIP_NAME}/datapackage.json", descriptor_json)
        archive.writestr(f"{ZIP_NAME}/README.md", readme(context))
        archive.writestr(f"{ZIP_NAME}/CITATION.cff", citation_cff(context))
        yield out.take()
        for t in package_tables:
            with archive.open(f"{ZIP_NAME}/{t.path}", "w", force_zip64=True) as entry:
                for chunk in t.csv_chunks():
                    entry.write(chunk.encode())
                    yield out.take()
    yield out.take()
