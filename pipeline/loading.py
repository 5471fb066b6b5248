"""Load the YAML content fixtures (docs/fixtures.md) into the database.

A record is found by the id the files give it (or, for an item written
without one, by its natural key) and only written where a value differs, so
loading the same files twice changes nothing. A record an editor has changed
since it was loaded (its fields, its place, its tags, or by deleting it) is
kept as the editor left it and reported, unless the load is forced.

The records are written a batch at a time (`Batches`): each batch is one
transaction holding its records, the content revision's bump and their search
documents (`lib.caching.content_changed`). An editor saving beside a load waits
for one batch at most, and a load stopped at any point leaves what it committed
public and searchable; the next run finishes the rest.
"""

import functools
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.signals import post_save
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from lib import anchoring, history, search, vocabulary
from lib.caching import content_changed
from lib.content import content_models
from pipeline.structure import SHARED_KEYS, FixtureError, Slugs, Tags, Walker, all_nodes
from pipeline.synthetic import synthetic

LOADER = "load_gfmd"
# The folder beside the fixtures holding the sources' texts, a file per source named after its slug.
TEXTS = "texts"


def yaml_parser():
    yaml = YAML()  # round-trip mode: the exporter writes back what it read, comments and all
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_fixtures(paths, *, for_writing=False):
    """(path, data) of each file; the loader, which only reads, gets a file's data parsed once per text."""
    documents = []
    for path in sorted(Path(p) for p in paths):
        source = path.read_text(encoding="utf-8")
        data = parse(path.name, source) if not for_writing else parse.__wrapped__(path.name, source)
        documents.append((path, data))
    return documents


@functools.lru_cache(maxsize=64)
def parse(name, source):
    try:
        data = yaml_parser().load(source)
    except YAMLError as error:
        raise FixtureError(f"{name}: not valid YAML: {error}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FixtureError(f"{name}: the top level must be a mapping of keys.")
    return data


@dataclass
class Outcome:
    """A record an editor changed, which the load kept as it is or replaced with the files' version."""

    model: type
    pk: int
    label: str
    what: str  # "changed", "deleted", "added"


class Resolver:
    """Records named in the files by natural key, looked up once."""

    def __init__(self):
        self.cache = {}

    def get(self, label, *conditions, **lookup):
        from django.apps import apps

        model = apps.get_model(label) if isinstance(label, str) else label
        key = None
        if not conditions:
            key = (model, tuple(sorted((k, getattr(v, "pk", v)) for k, v in lookup.items())))
            if key in self.cache:
                return self.cache[key]
        try:
            obj = model._default_manager.get(*conditions, **lookup)
        except model.DoesNotExist:
            shown = {k: getattr(v, "pk", v) for k, v in lookup.items()}
            raise FixtureError(f"no {model._meta.verbose_name} with {shown}") from None
        if key is not None:
            self.cache[key] = obj
        return obj


class Batches:
    """The load's writes, committed a batch of records at a time, each batch with its `content_changed`.

    Used as a context manager around the whole load: it commits the last batch
    when the load ends, and rolls back the open one when the load fails.
    """

    size = 100  # records a batch: an editor's save beside the load waits for one batch at most

    def __init__(self):
        self.stack = None  # the open batch's transaction
        self.written = 0  # records the open batch wrote or locked, changed or not
        self.records, self.documents = {}, set()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            self.commit()
        elif self.stack is not None:
            self.close(kind, error, traceback)  # rolled back: none of the batch's records, no bump
        return False

    @contextmanager
    def write(self):
        """One record's writes, in the open batch; the batch is committed once it holds `size` records."""
        if self.stack is None:
            self.stack = ExitStack()
            self.stack.enter_context(transaction.atomic())
        yield
        self.written += 1
        if self.written >= self.size:
            self.commit()

    def saved(self, obj):
        self.records[(type(obj), obj.pk)] = obj

    def deleting(self, obj):
        """Before a deletion: the search documents that show something of the record, which loses its key."""
        self.documents |= search.documents_of([obj])

    def commit(self):
        if self.stack is None:
            return
        try:
            if self.records or self.documents:
                content_changed(self.records.values(), documents=self.documents)
        except BaseException as error:
            self.close(type(error), error, error.__traceback__)
            raise
        self.close(None, None, None)

    def close(self, *outcome):
        self.written, self.records, self.documents = 0, {}, set()
        stack, self.stack = self.stack, None
        stack.__exit__(*outcome)


class Loader(Walker):
    def __init__(self, *, force=False):
        super().__init__()
        self.force = force
        self.stats = defaultdict(Counter)
        self.kept = []
        self.replaced = []
        self.resolver = Resolver()
        self.seen = defaultdict(set)  # model -> pks the files hold
        self.deleted = {}  # model -> pks an editor deleted
        self.created_with_ids = set()  # models
        self.batches = Batches()

    # -- entry point -------------------------------------------------------

    def load(self, paths, *, complete=True):
        """Load the files; `complete` says they are all the files, so that records they lack are removed."""
        documents = read_fixtures(paths)
        # The files' `name` is the English, whatever language is active (lib/vocabulary.py).
        with vocabulary.english(), self.batches:
            self.walk(documents)
            if complete:
                self.remove_missing()
            self.reset_sequences()
        if paths:
            self.load_texts(Path(sorted(paths)[0]).parent / TEXTS)
        return self.stats

    def meeting(self, slug, path):
        try:
            return self.resolver.get("gfmd_sessions.Meeting", slug=slug)
        except FixtureError as error:
            raise FixtureError(f"{path.name}: {error}.") from None

    # -- one record --------------------------------------------------------

    def visit(self, node, seq, item, ctx, meaning):
        try:
            with self.batches.write():
                return self.upsert(node, item, ctx, meaning)
        except FixtureError as error:
            raise FixtureError(f"{ctx.file}, {node.key}: {error}: {short(item)}") from None
        except IntegrityError as error:
            raise FixtureError(f"{ctx.file}, {node.key}: the database refused {short(item)}: {error}") from None

    def reference(self, node, seq, item, ctx):
        meaning = node.meaning(item, ctx)
        try:
            with self.batches.write():
                record = self.find(node, item, ctx, meaning, reference=True)
        except FixtureError as error:
            raise FixtureError(f"{ctx.file}, {node.key}: {error}") from None
        if record is None or record._state.adding:
            raise FixtureError(f"{ctx.file}: no {node.model._meta.verbose_name} described as {short(item)}")
        return record, meaning

    def visit_deferred(self, node, item, ctx, record):
        meaning = node.meaning(item, ctx, deferred=True)
        try:
            with self.batches.write():
                obj = self.locked(node.model, record.pk)
                if obj is not None:
                    self.apply(node, obj, meaning, ctx, [f for f in node.fields if f.deferred], count=False)
        except FixtureError as error:
            raise FixtureError(f"{ctx.file}, {node.key}: {error}: {short(item)}") from None

    def locked(self, model, pk):
        # Held until the batch commits. A key lock (no_key=False) would also stop an editor's save that links
        # to the record (the check of a foreign key) until then, while the load may be waiting for that save.
        # No ordering: a default ordering across a nullable relation would join rows PostgreSQL cannot lock.
        rows = model._default_manager.select_for_update(of=("self",), no_key=True).filter(pk=pk).order_by()
        return rows.first()

    def find(self, node, item, ctx, meaning, reference=False):
        """The item's record (locked), a new one, or None where an editor deleted it and the load keeps that."""
        model = node.model
        pk = None if node.scalar else item.get("id")
        if pk is not None:
            obj = self.locked(model, pk)
            if obj is not None:
                return obj
            deletion = self.editor_deletions(model).get(pk)
            if deletion is not None:
                outcome = Outcome(model, pk, name_of(deletion, item), "deleted")
                if not self.force:
                    self.keep(outcome)
                    return None
                self.replaced.append(outcome)
            self.created_with_ids.add(model)
            return model(pk=pk)
        found = model._default_manager.filter(**node.lookup(meaning, ctx)).order_by("pk").first()
        # Two items without ids never claim one record; a reference names one another item described.
        if found is not None and (reference or found.pk not in self.seen[model]):
            return self.locked(model, found.pk)
        if model in self.created_with_ids:
            self.reset_sequences([model])  # the new record's id must come after the ids the files gave
        return model()

    def upsert(self, node, item, ctx, meaning):
        obj = self.find(node, item, ctx, meaning)
        if obj is None:
            return None
        self.apply(node, obj, meaning, ctx, [f for f in node.fields if not f.deferred])
        self.seen[node.model].add(obj.pk)
        return obj

    def apply(self, node, obj, meaning, ctx, fields, count=True):
        """Write what the files say where it differs, unless an editor changed the record (the one rule)."""
        created = obj._state.adding
        counts = self.stats[node.model._meta.verbose_name_plural]
        if created:
            changed = [f for f in fields if not isinstance(f, Slugs) or meaning[f.attr]]
        else:
            changed = [f for f in fields if f.db(obj) != meaning[f.attr]]
        if changed and not created and obj.changed_since_loaded:
            outcome = Outcome(type(obj), obj.pk, str(obj), "changed")
            if not self.force:
                self.keep(outcome)
                return obj
            self.replaced.append(outcome)
        # Forced, a record an editor changed is written even where it says the same, so that it is the files' again.
        if not (created or changed or (self.force and obj.changed_since_loaded and count)):
            if count:
                counts["unchanged"] += 1
            return obj
        if self.write(node, obj, meaning, ctx, changed) and count:
            counts["created" if created else "updated" if changed else "unchanged"] += 1
        return obj

    def write(self, node, obj, meaning, ctx, changed):
        """Write the changed fields, then the links; False where the record stays as an editor left it."""
        created = obj._state.adding
        plain = [f for f in changed if not isinstance(f, Slugs)]
        related = [f for f in changed if isinstance(f, Slugs)]
        try:
            for f in plain:
                f.assign(obj, meaning[f.attr], self.resolver, ctx)
        except FixtureError as error:
            if created or self.force:
                raise
            # The files name a record by a number or slug an editor changed (a moved session): this one
            # stays as it is until the files say the new name (export_gfmd) or a forced load restores the old.
            obj.refresh_from_db()
            self.keep(Outcome(type(obj), obj.pk, f"{obj} (the files name {error})", "refers"))
            return False
        if any(f.attr == "position" for f in plain) and node.position_scope:
            self.make_room(node, obj, meaning, ctx)
        self.validate(obj)
        # One history entry for the change, fields and links together, written once the links are set.
        obj.skip_history_when_saving = True
        try:
            self.save(obj)
            for f in related:
                f.assign(obj, meaning[f.attr], self.resolver, ctx)
        finally:
            del obj.skip_history_when_saving
        # django-simple-history writes its entry on post_save.
        post_save.send(sender=type(obj), instance=obj, created=created, raw=False, using=obj._state.db)
        if any(isinstance(f, Tags) for f in related):
            history.record_tags(obj)
        self.batches.saved(obj)
        return True

    def validate(self, obj):
        try:
            # The constraints are the database's to check (an IntegrityError names them); these are the rules
            # only Python knows: choices and lengths, and the rules across rows each model's clean() holds.
            # Related records were found by the loader already: not looked up again, one query per link.
            foreign_keys = [f.name for f in obj._meta.concrete_fields if f.is_relation]
            obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise FixtureError(f"{obj._meta.object_name} {error.message_dict}") from None

    def make_room(self, node, obj, meaning, ctx):
        """Positions are unique in some lists: move a record the files place later out of the way."""
        model = type(obj)
        scope = {attr: getattr(obj, f"{attr}_id") for attr in node.position_scope}
        others = model._default_manager.filter(**scope).exclude(pk=obj.pk)
        holder = others.filter(position=obj.position).first()
        if holder is None:
            return
        if holder.changed_since_loaded and not self.force:
            # An editor put a record here: this one goes after it, and the list counts on from there.
            taken = set(others.values_list("position", flat=True))
            while obj.position in taken:
                obj.position += 1
            if node.counter is not None:
                self.counts[node.counter(meaning, ctx)] = obj.position
            return
        highest = model._default_manager.filter(**scope).aggregate(Max("position"))["position__max"]
        others.filter(pk=holder.pk).update(position=highest + 1)

    def save(self, obj):
        """Save, recording that this version is the files' own."""
        obj.loaded_version = 1 if obj._state.adding else obj.version + 1
        obj._change_reason = LOADER
        obj.save()

    def editor_deletions(self, model):
        if model not in self.deleted:
            self.deleted[model] = editor_deletions(model)
        return self.deleted[model]

    def keep(self, outcome):
        self.kept.append(outcome)
        self.stats[outcome.model._meta.verbose_name_plural]["kept"] += 1

    # -- the sources' stored texts ------------------------------------------

    def load_texts(self, directory):
        """Store each source's text (texts/<slug>.txt) where it differs, and anchor again the records citing
        a source whose text changed: one transaction, with its `content_changed`."""
        from django.apps import apps

        SourceDocument, SourceText = apps.get_model("gfmd.SourceDocument"), apps.get_model("gfmd.SourceText")
        changed = []
        with transaction.atomic():
            for path in sorted(directory.glob("*.txt")):
                source = SourceDocument.objects.filter(slug=path.stem).first()
                if source is None:
                    raise FixtureError(f"{TEXTS}/{path.name}: no source with the slug {path.stem!r}.")
                text = path.read_text(encoding="utf-8")
                stored = SourceText.objects.filter(source=source).first()
                if stored is not None and stored.text == text:
                    self.stats["source texts"]["unchanged"] += 1
                    continue
                SourceText.objects.update_or_create(source=source, defaults={"text": text})
                self.stats["source texts"]["created" if stored is None else "updated"] += 1
                changed.append(source.pk)
            if changed:
                content_changed(documents=anchoring.rebuild(changed))

    # -- records the files no longer hold ------------------------------------

    def remove_missing(self):
        """Delete what the files no longer hold; what an editor added is kept (or, forced, deleted)."""
        nodes = {node.model: node for node in all_nodes()}
        for model in reversed(content_models()):
            if model not in nodes:
                continue
            missing = model._default_manager.exclude(pk__in=self.seen[model]).exclude(synthetic(model))
            for pk in missing.order_by("pk").values_list("pk", flat=True):
                with self.batches.write():
                    obj = self.locked(model, pk)
                    if obj is None:
                        continue  # gone with its parent
                    if obj.changed_since_loaded:
                        outcome = Outcome(model, pk, str(obj), "added")
                        if not self.force:
                            self.keep(outcome)
                            continue
                        self.replaced.append(outcome)
                    obj._change_reason = LOADER
                    self.batches.deleting(obj)
                    obj.delete()
                    self.stats[model._meta.verbose_name_plural]["deleted"] += 1

    def reset_sequences(self, models=None):
        """Records created with the files' ids leave PostgreSQL's id sequences behind: move them on, never back.

        (SQLite's AUTOINCREMENT follows the ids inserted by itself.)
        """
        models = set(self.created_with_ids if models is None else models)
        self.created_with_ids -= models
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in models:
                table, column = model._meta.db_table, model._meta.pk.column
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                if sequence is None:
                    continue
                cursor.execute(
                    f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({quote(column)}), 1) FROM {quote(table)}), "
                    f"(SELECT last_value FROM {sequence})))",
                    [sequence],
                )


def editor_deletions(model):
    """Id -> history entry of the records whose last entry is a deletion by someone other than the loader."""
    deleted = {}
    history = model.history.filter(history_type="-").exclude(history_change_reason=LOADER)
    for pk in history.values_list("id", flat=True).distinct():
        last = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
        if last.history_type == "-" and last.history_change_reason != LOADER:
            deleted[pk] = last
    return deleted


def name_of(history_entry, item):
    """A deleted record's name, as its last version had it."""
    try:
        return str(history_entry.instance)
    except Exception:  # a relation its name needs is gone too
        return short(item)


def short(item):
    return str(dict(item) if isinstance(item, dict) else item)[:120]


def fixture_paths(directory, names=()):
    """Every fixture in the directory, or the shared ones plus the named files."""
    directory = Path(directory)
    everything = sorted(directory.glob("*.yaml"))
    if not names:
        return everything
    shared = [p for p, data in read_fixtures(everything) if any(k in data for k in SHARED_KEYS)]
    named = [Path(n) if Path(n).exists() else directory / n for n in names]
    for path in named:
        if not path.exists():
            raise FixtureError(f"No fixture file {path}.")
    return sorted({p.resolve() for p in shared} | {p.resolve() for p in named})
