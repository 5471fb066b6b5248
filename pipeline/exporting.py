"""Write the database back into the content fixtures (docs/fixtures.md), which load_gfmd reads.

The export starts from the files as they are: it walks them as the loader
does, finds each item's record, and changes only the values that say
something else than the record holds, so that comments, order and wrapping
stay as written and `git diff` shows exactly what editors changed. An item
whose record is gone is removed; a record no file holds (added in the admin,
or moved to another place) is written where its parent is, in order. Every
item gets the id of its record, so that public addresses survive a restore.
"""

import io
import textwrap
from collections import defaultdict
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from lib import vocabulary
from pipeline.loading import read_fixtures, yaml_parser
from pipeline.structure import LATE, SHARED, Context, Parent, Position, Slugs, Walker, all_nodes, text
from pipeline.synthetic import synthetic

FOLD_WIDTH = 80


class Exporter(Walker):
    def __init__(self, documents):
        super().__init__()
        self.documents = list(documents)  # [(name, data)]
        self.visited = defaultdict(set)  # model -> pks written to an item
        self.containers = defaultdict(list)  # (model, pk) -> items of the record, where its lists go
        self.records = {}  # id(item) -> record
        self.removed = []  # (seq, item)
        self.held = {}  # (list, model, pk) -> what the record holds
        self.meetings = defaultdict(list)  # meeting slug -> its content documents
        # id(seq) -> [seq, {list: [items]}]: the items of each ordered list, to put in the records' order
        self.lists = defaultdict(lambda: [None, defaultdict(list)])
        for name, data in self.documents:
            if "meeting" in data:
                self.meetings[str(data["meeting"])].append((name, data))

    def export(self):
        # The files' `name` is the English, whatever language is active (lib/vocabulary.py).
        with vocabulary.english():
            return self.export_documents()

    def export_documents(self):
        self.walk([(Path(name), data) for name, data in self.documents])
        for seq, item in self.removed:
            for index, entry in enumerate(seq):
                if entry is item:
                    del seq[index]
                    break
        self.put_in_order()
        self.add_missing()
        return self.documents

    def put_in_order(self):
        """Where an editor changed positions, the items change places (a list's order is its positions)."""
        for seq, lists in self.lists.values():
            for items in lists.values():
                ordered = sorted(items, key=lambda item: self.records[id(item)].position)
                if all(a is b for a, b in zip(ordered, items, strict=True)):
                    continue
                slots = sorted(index for index, entry in enumerate(seq) if any(entry is i for i in items))
                for index, item in zip(slots, ordered, strict=True):
                    seq[index] = item

    # -- the items the files hold ------------------------------------------

    def meeting(self, slug, path):
        from django.apps import apps

        return apps.get_model("gfmd_sessions", "Meeting")._default_manager.filter(slug=slug).first()

    def find(self, node, item, ctx, meaning, reference=False):
        model = node.model
        if node.scalar:
            return model._default_manager.filter(activity=ctx.parent, position=ctx.position).first()
        if item.get("id") is not None:
            return model._default_manager.select_related(*node.related).filter(pk=item["id"]).first()
        records = model._default_manager.filter(**node.lookup(meaning, ctx))
        if not reference:
            records = records.exclude(pk__in=self.visited[model])
        return records.order_by("pk").first()

    def reference(self, node, seq, item, ctx):
        record = self.find(node, item, ctx, node.meaning(item, ctx), reference=True)
        if record is None:
            self.removed.append((seq, item))
            return None, None
        if "id" not in item:
            item.insert(0, "id", record.pk)
        self.containers[(node.model, record.pk)].append(item)
        return record, self.db_meaning(node, record)

    def visit(self, node, seq, item, ctx, meaning):
        if ctx.meeting is None and ctx.parent is None and node not in [*SHARED.values(), *LATE.values()]:
            return None
        record = self.find(node, item, ctx, meaning)
        if record is None:
            self.removed.append((seq, item))
            return None
        db = self.db_meaning(node, record)
        moved = any(
            isinstance(f, Parent) and not isinstance(f, Position) and db[f.attr] != meaning[f.attr] for f in node.fields
        )
        if moved:
            # Written again below, under its new parent.
            self.removed.append((seq, item))
            return None
        self.visited[node.model].add(record.pk)
        if node.scalar:
            if meaning["text"] != db["text"]:
                index = next(i for i, entry in enumerate(seq) if entry is item)
                seq[index] = represent(item, db["text"])
            return record
        meaning = meaning | node.meaning(item, ctx, deferred=True)
        update(node, item, ctx, meaning, db, record)
        if node.counter is not None:
            self.lists[id(seq)][0] = seq
            self.lists[id(seq)][1][node.counter(db, ctx)].append(item)
        self.records[id(item)] = record
        self.containers[(node.model, record.pk)].append(item)
        return record

    def db_meaning(self, node, record):
        """What the record holds, read once per record and list."""
        key = (node.key, type(record), record.pk)
        if key not in self.held:
            self.held[key] = node.db_meaning(record)
        return self.held[key]

    def meaning_for_children(self, node, record, meaning):
        # The items below inherit what the record holds, which the item now says.
        return self.db_meaning(node, record)

    # -- records no file holds ---------------------------------------------

    def add_missing(self):
        for node in all_nodes():
            model = node.model
            records = model._default_manager.exclude(pk__in=self.visited[model]).exclude(synthetic(model))
            records = records.filter(**node.parent_filter)
            if node.parent_attr is not None and node.home is None:
                records = records.filter(**{f"{node.parent_attr}__isnull": False})
            for record in records.order_by(*node.ordering):
                if record.pk in self.visited[model]:
                    continue  # written with its parent
                place = self.place(node, record)
                if place is None:
                    continue
                seq, ctx = place
                self.insert(node, seq, self.build(node, record, ctx), record)

    def place(self, node, record):
        """The list a record no file holds goes into, and the context of its items there."""
        if node.parent_attr is None:
            return self.shared_list(node.key), Context(file="")
        parent = node.home(record) if node.home else getattr(record, node.parent_attr)
        if node.parent_attr == "meeting":
            name, data = self.content_document(parent, node.key)
            if node.key not in data or data[node.key] is None:
                data[node.key] = CommentedSeq()
            return data[node.key], Context(file=name, meeting=parent, source=data.get("source"))
        items = self.containers.get((type(parent), parent.pk))
        if not items:
            return None
        parent_node = next(n for n in all_nodes() if node in n.children)
        holder = next((i for i in items if i.get(node.key)), items[0])
        if holder.get(node.key) is None:
            put(holder, node.key, CommentedSeq(), parent_node.key_order)
        meeting = getattr(record, "meeting", None) or getattr(parent, "meeting", None)
        source = None
        for _name, data in self.documents:
            if contains(data, holder):
                source = data.get("source")
                break
        ctx = Context(
            file="", meeting=meeting, parent=parent, parent_meaning=self.db_meaning(parent_node, parent), source=source
        )
        return holder[node.key], ctx

    def shared_list(self, key):
        for _name, data in self.documents:
            if key in data and "meeting" not in data:
                if data[key] is None:
                    data[key] = CommentedSeq()
                return data[key]
        data = CommentedMap({key: CommentedSeq()})
        self.documents.append((f"{key.replace('_', '-')}.yaml", data))
        return data[key]

    def content_document(self, meeting, key):
        documents = self.meetings[meeting.slug]
        if not documents:
            data = CommentedMap({"meeting": meeting.slug})
            self.documents.append((f"{meeting.slug}.yaml", data))
            documents.append(self.documents[-1])
        return next(((n, d) for n, d in documents if d.get(key)), documents[0])

    def build(self, node, record, ctx):
        """A new item for a record, with its lists."""
        self.visited[node.model].add(record.pk)
        db = self.db_meaning(node, record)
        if node.scalar:
            return represent(None, db["text"])
        item = CommentedMap()
        item["id"] = record.pk
        for f in node.fields:
            if f.written:
                for key, value in f.write(db[f.attr], ctx, db).items():
                    item[key] = represent(None, value)
        self.records[id(item)] = record
        self.containers[(node.model, record.pk)].append(item)
        for child in node.children:
            children = [r for r in child.children_of(record) if r.pk not in self.visited[child.model]]
            if children:
                child_ctx = Context(
                    file=ctx.file, meeting=ctx.meeting, parent=record, parent_meaning=db, source=ctx.source
                )
                item[child.key] = CommentedSeq(self.build(child, r, child_ctx) for r in children)
        return item

    def insert(self, node, seq, item, record):
        """Before the first item of the list that the record's order puts after it."""
        key = sort_key(record, node.ordering)
        for index, entry in enumerate(seq):
            other = self.records.get(id(entry))
            if other is not None and type(other) is type(record) and sort_key(other, node.ordering) > key:
                seq.insert(index, item)
                return
        seq.append(item)


def update(node, item, ctx, meaning, db, record):
    """Change the item's keys that say something else than the record; leave the rest as written."""
    order = node.key_order
    if "id" not in item:
        item.insert(0, "id", record.pk)
    for f in node.fields:
        if not f.written or meaning[f.attr] == db[f.attr]:
            continue
        wanted = f.write(db[f.attr], ctx, db)
        if isinstance(f, Slugs) and isinstance(item.get(f.key), list) and f.key in wanted:
            # The names the file gives stay in its order; new ones follow.
            kept = [name for name in item[f.key] if text(name) in db[f.attr]]
            wanted[f.key] = kept + [name for name in wanted[f.key] if name not in kept]
        for key in f.keys:
            if key in item and key not in wanted:
                del item[key]
        for key, value in wanted.items():
            put(item, key, represent(item.get(key), value), order)


def put(item, key, value, order):
    """Set a key, in its place among the keys the item already has."""
    if key in item:
        item[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    index = len(item)
    for i, existing in enumerate(item):
        if existing in order and order.index(existing) > rank:
            index = i
            break
    item.insert(index, key, value)


def contains(data, target):
    if data is target:
        return True
    if isinstance(data, dict):
        return any(contains(v, target) for v in data.values())
    if isinstance(data, list):
        return any(contains(v, target) for v in data)
    return False


def sort_key(record, ordering):
    key = []
    for path in ordering:
        value = record
        for part in path.split("__"):
            value = getattr(value, part, None) if value is not None else None
        key.append((value is not None, value if value is not None else 0))
    return key


def represent(old, value):
    """A value as the files write it: the old value's style kept, block style for paragraphs."""
    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value + "\n")
    if isinstance(old, FoldedScalarString) or (old is None and len(value) > FOLD_WIDTH):
        return folded(value)
    if isinstance(old, DoubleQuotedScalarString | SingleQuotedScalarString):
        return type(old)(value)
    if not reads_back(value):
        return DoubleQuotedScalarString(value)
    return value


def folded(value):
    """A long line as a folded block, wrapped where a single space stands between words."""
    folds, column = [], 0
    lines = textwrap.wrap(value, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False)
    if " ".join(lines) != value:
        return DoubleQuotedScalarString(value) if not reads_back(value) else value
    for line in lines[:-1]:
        column += len(line)
        folds.append(column)
        column += 1
    scalar = FoldedScalarString(value)
    scalar.fold_pos = folds
    return scalar


def reads_back(value):
    """Whether a plain scalar would load as this very string."""
    try:
        return YAML(typ="safe", pure=True).load(f"key: {value}\n") == {"key": value}
    except Exception:
        return False


def dump(data):
    out = io.StringIO()
    yaml_parser().dump(data, out)
    return out.getvalue()


def export_fixtures(template_dir, directory):
    """Export into `directory`, starting from the files in `template_dir`; the names of the files written."""
    documents = [
        (path.name, data) for path, data in read_fixtures(sorted(Path(template_dir).glob("*.yaml")), for_writing=True)
    ]
    documents = Exporter(documents).export()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in documents:
        (directory / name).write_text(dump(data), encoding="utf-8")
        written.append(name)
    return written
