"""Load the YAML content fixtures (docs/fixtures.md) into the database.

Records are found by their natural keys and only written when a value
differs, so loading the same files twice changes nothing. A record an editor
has changed since it was loaded is kept as the editor left it, and reported,
unless the load is forced.
"""

from collections import Counter, defaultdict
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from gfmd.models import SourceDocument
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Event, Meeting, Milestone, Passage, Roundtable, Session, Stage, Track
from themes.models import Theme

PROVENANCE = ("source_location", "editorial_note")
# Passages under a shared key are those of no meeting: context shown on their source's page.
SHARED_KEYS = ("sources", "themes", "gmg_members", "meetings", "passages")


class FixtureError(Exception):
    pass


def read_fixtures(paths):
    documents = []
    for path in sorted(Path(p) for p in paths):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise FixtureError(f"{path.name}: not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise FixtureError(f"{path.name}: the top level must be a mapping of keys.")
        documents.append((path, data))
    return documents


class Loader:
    def __init__(self, *, force=False):
        self.force = force
        self.stats = defaultdict(Counter)
        self.where = ""
        # Positions count across files in load order, so one list may span files.
        self.positions = Counter()
        # Records an editor changed since they were loaded: kept, or (forced) replaced.
        self.kept = []
        self.replaced = []

    # -- entry point -------------------------------------------------------

    def load(self, paths):
        documents = read_fixtures(paths)
        with transaction.atomic():
            for key in SHARED_KEYS:
                # A meeting's file may hold passages too: those are loaded with its content.
                for path, data in (d for d in documents if "meeting" not in d[1]):
                    for item in data.get(key) or []:
                        self.where = f"{path.name}, {key}"
                        self.positions[key] += 1
                        getattr(self, f"load_{key}_item")(item, self.positions[key])
            content = [(path, data) for path, data in documents if "meeting" in data]
            # Passes, so that one file may add to a roundtable another file describes.
            for load_pass in (self.pass_roundtables, self.pass_children, self.pass_lists, self.pass_links):
                for path, data in content:
                    self.where = path.name
                    meeting = self.get(Meeting, slug=data["meeting"])
                    load_pass(meeting, data, path.name)
        return self.stats

    # -- generic upsert ----------------------------------------------------

    def get(self, model, *conditions, **lookup):
        try:
            return model.objects.get(*conditions, **lookup)
        except model.DoesNotExist:
            raise FixtureError(f"{self.where}: no {model._meta.verbose_name} with {lookup}.") from None

    def upsert(self, model, lookup, values, *, m2m=None, tags=None):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        fields = [field for field, value in values.items() if differs(obj, field, value)]
        relations = [
            field
            for field, related in (m2m or {}).items()
            if created or set(getattr(obj, field).values_list("pk", flat=True)) != {r.pk for r in related}
        ]
        retag = tags is not None and (created or set(obj.tags.names()) != set(tags))
        counts = self.stats[model._meta.verbose_name_plural]
        if not created and obj.changed_since_loaded and (fields or relations or retag):
            if not self.force:
                self.kept.append((obj, str(obj)))
                counts["kept"] += 1
                return obj
            self.replaced.append((obj, str(obj)))
        for field in fields:
            setattr(obj, field, values[field])
        if created or fields or (self.force and obj.changed_since_loaded):
            try:
                obj.full_clean()
            except ValidationError as error:
                raise FixtureError(f"{self.where}: {model.__name__} {lookup}: {error.message_dict}") from None
            self.save(obj)
        for field in relations:
            getattr(obj, field).set(m2m[field])
        if retag:
            obj.tags.set(tags, clear=True)
        counts["created" if created else "updated" if fields or relations or retag else "unchanged"] += 1
        return obj

    def save(self, obj, **kwargs):
        """Save, recording that this version is the files' own."""
        obj.loaded_version = 1 if obj._state.adding else obj.version + 1
        obj._change_reason = "load_gfmd"
        obj.save(**kwargs)

    def provenance(self, item, default_source):
        """Source fields present in an item, with the file's default source."""
        values = {field: item[field] for field in PROVENANCE if field in item}
        slug = item.get("source", default_source)
        if slug is None:
            raise FixtureError(f"{self.where}: a record has no source: {short(item)}")
        values["source"] = self.get(SourceDocument, slug=slug)
        m2m = {}
        if "other_sources" in item:
            m2m["other_sources"] = [self.get(SourceDocument, slug=s) for s in item["other_sources"]]
        return values, m2m

    def themes(self, item):
        return [self.get(Theme, slug=slug) for slug in item.get("themes", [])]

    # -- shared files ------------------------------------------------------

    def load_sources_item(self, item, position):
        values = {k: item.get(k, "") for k in ("title", "issuer", "kind", "url", "description")}
        values["date"] = item.get("date")
        self.upsert(SourceDocument, {"slug": item["slug"]}, values)

    def load_themes_item(self, item, position):
        values = {"name": item["name"], "description": text(item["description"]), "position": position}
        self.upsert(Theme, {"slug": item["slug"]}, values)

    def load_gmg_members_item(self, item, position):
        self.upsert(GMGMember, {"acronym": item["acronym"]}, {"name": item["name"], "url": item.get("url", "")})

    def load_meetings_item(self, item, position):
        fields = (
            "ordinal",
            "year",
            "city",
            "country",
            "chair",
            "start_date",
            "end_date",
            "civil_society_start_date",
            "civil_society_end_date",
            "overarching_theme",
            "summary",
            "sessions_coverage",
            "sessions_held",
            "recommendations_coverage",
            "coverage_note",
        )
        values = {field: text(item[field]) for field in fields if field in item}
        provenance, m2m = self.provenance(item, None)
        self.upsert(Meeting, {"slug": item["slug"]}, values | provenance, m2m=m2m)

    def load_passages_item(self, item, position, meeting=None, default_source=None):
        provenance, m2m = self.provenance(item, default_source)
        if "meeting" in item:
            meeting = self.get(Meeting, slug=item["meeting"])
        # Positions count per meeting, or per source for passages of no meeting.
        key = ("passage", meeting.pk if meeting else provenance["source"].slug)
        self.positions[key] += 1
        values = {"meeting": meeting, "heading": item.get("heading", ""), "text": text(item["text"])}
        self.upsert(
            Passage,
            {"source": provenance.pop("source"), "source_location": provenance.pop("source_location")},
            values | provenance | {"position": self.positions[key]},
            m2m=m2m,
        )

    # -- meeting content ---------------------------------------------------

    def roundtable_lookup(self, meeting, item, prefix=""):
        return {
            "meeting": meeting,
            "track": item.get(f"{prefix}track", Track.GOVERNMENT),
            "stage": item.get(f"{prefix}stage", Stage.HELD),
            "kind": item.get(f"{prefix}kind", Roundtable.Kind.ROUNDTABLE),
            "number": item[f"{prefix}number"] if prefix == "" else item["roundtable"],
        }

    def pass_roundtables(self, meeting, data, filename):
        for item in data.get("events") or []:
            values = {f: text(item[f]) for f in ("title", "when", "place", "organiser", "summary") if f in item}
            provenance, m2m = self.provenance(item, data.get("source"))
            self.upsert(Event, {"slug": item["slug"]}, values | provenance | {"meeting": meeting}, m2m=m2m)
        for item in data.get("roundtables") or []:
            described = {k for k in item if k not in ("number", "track", "stage", "kind", "sessions", "sections")}
            if not described:
                continue  # only a reference: another file describes this roundtable
            values = {f: text(item[f]) for f in ("title", "group_heading", "summary") if f in item}
            provenance, m2m = self.provenance(item, data.get("source"))
            m2m["themes"] = self.themes(item)
            self.upsert(
                Roundtable,
                self.roundtable_lookup(meeting, item),
                values | provenance,
                m2m=m2m,
                tags=item.get("tags", []),
            )

    def pass_children(self, meeting, data, filename):
        for item in data.get("roundtables") or []:
            roundtable = self.get(Roundtable, **self.roundtable_lookup(meeting, item))
            for session in item.get("sessions") or []:
                self.load_session(roundtable, session, data.get("source"))
            for section in item.get("sections") or []:
                self.load_section(roundtable, section, data.get("source"))

    def load_session(self, roundtable, item, default_source):
        values = {f: text(item[f]) for f in ("title", "slug", "discussion", "co_chairs") if f in item}
        number = str(item.get("number", ""))
        lookup = {"roundtable": roundtable}
        if number:
            lookup["number"] = number
        elif "slug" in values:
            lookup["slug"] = values["slug"]
        else:
            lookup["title"] = values["title"]
        provenance, m2m = self.provenance(item, default_source)
        m2m["themes"] = self.themes(item)
        self.upsert(Session, lookup, values | provenance, m2m=m2m, tags=item.get("tags", []))

    def load_section(self, roundtable, item, default_source):
        provenance, m2m = self.provenance(item, default_source)
        section = self.upsert(
            Section,
            {"roundtable": roundtable, "letter": item["letter"]},
            {"title": text(item["title"])} | provenance,
            m2m=m2m,
        )
        for position, activity in enumerate(item.get("activities") or [], start=1):
            self.load_activity(section, position, activity, default_source)

    def load_activity(self, section, position, item, default_source):
        provenance, m2m = self.provenance(item, default_source)
        m2m["themes"] = self.themes(item)
        m2m["gmg_members"] = [self.get(GMGMember, acronym=a) for a in item.get("gmg_members", [])]
        activity = self.upsert(
            ProposedActivity,
            {"section": section, "position": position},
            {"text": text(item["text"])} | provenance,
            m2m=m2m,
            tags=item.get("tags", []),
        )
        for model, key in ((SubActivity, "sub_activities"), (Objective, "objectives")):
            texts = item.get(key) or []
            for number, entry in enumerate(texts, start=1):
                self.upsert(model, {"activity": activity, "position": number}, {"text": text(entry)})
            for extra in model.objects.filter(activity=activity, position__gt=len(texts)):
                if extra.changed_since_loaded and not self.force:
                    self.kept.append((extra, str(extra)))
                    self.stats[model._meta.verbose_name_plural]["kept"] += 1
                    continue
                if extra.changed_since_loaded:
                    self.replaced.append((extra, str(extra)))
                extra._change_reason = "load_gfmd"
                extra.delete()

    def pass_lists(self, meeting, data, filename):
        for item in data.get("recommendations") or []:
            self.load_recommendation(meeting, item, data.get("source"))
        for item in data.get("passages") or []:
            self.load_passages_item(item, None, meeting=meeting, default_source=data.get("source"))
        for item in data.get("milestones") or []:
            self.positions[("milestone", meeting.pk)] += 1
            provenance, m2m = self.provenance(item, data.get("source"))
            self.upsert(
                Milestone,
                {"meeting": meeting, "position": self.positions[("milestone", meeting.pk)]},
                {"when": str(item["when"]), "text": text(item["text"])} | provenance,
                m2m=m2m,
            )

    def load_recommendation(self, meeting, item, default_source, parent=None):
        if parent is None:
            track = item.get("track", Track.GOVERNMENT)
            roundtable = None
            if "roundtable" in item:
                roundtable = self.get(
                    Roundtable,
                    meeting=meeting,
                    track=track,
                    stage=item.get("roundtable_stage", Stage.HELD),
                    kind=item.get("roundtable_kind", Roundtable.Kind.ROUNDTABLE),
                    number=item["roundtable"],
                )
            session = None
            if "session" in item:
                if roundtable is None:
                    raise FixtureError(f"{self.where}: a recommendation names a session but no roundtable.")
                # A session is named by its number, or by its slug where the source prints no number.
                key = str(item["session"])
                session = self.get(Session, Q(number=key) | Q(number="", slug=key), roundtable=roundtable)
            kind = item.get("kind", Recommendation.Kind.RECOMMENDATION)
            themes = self.themes(item)
            group_heading = item.get("group_heading", "")
            # A planned roundtable's points are planned whatever the item says (the model derives the same).
            planned_roundtable = roundtable is not None and roundtable.stage == Stage.PLANNED
            stage = Stage.PLANNED if planned_roundtable else item.get("stage", Stage.HELD)
            event = self.get(Event, slug=item["event"], meeting=meeting) if "event" in item else None
        else:
            track, roundtable, session, kind = parent.track, parent.roundtable, parent.session, parent.kind
            stage, event = parent.stage, parent.event
            themes = self.themes(item) or list(parent.themes.all())
            group_heading = item.get("group_heading", parent.group_heading)
            default_source = item.get("source", default_source)
        list_key = (meeting.pk, track, roundtable and roundtable.pk, session and session.pk, kind, parent and parent.pk)
        self.positions[list_key] += 1
        lookup = {
            "meeting": meeting,
            "track": track,
            "roundtable": roundtable,
            "session": session,
            "kind": kind,
            "parent": parent,
            "position": self.positions[list_key],
        }
        provenance, m2m = self.provenance(item, default_source)
        m2m["themes"] = themes
        values = {
            "number": str(item.get("number", "")),
            "number_restored": bool(item.get("number_restored", False)),
            "text": text(item["text"]),
            "group_heading": group_heading,
            "stage": stage,
            "event": event,
        }
        recommendation = self.upsert(Recommendation, lookup, values | provenance, m2m=m2m, tags=item.get("tags", []))
        for child in item.get("children") or []:
            child.setdefault("source", provenance["source"].slug)
            self.load_recommendation(meeting, child, default_source, parent=recommendation)

    def pass_links(self, meeting, data, filename):
        self.link_twins(meeting, data.get("recommendations") or [], data.get("source"))
        for item in data.get("roundtables") or []:
            for session_item in item.get("sessions") or []:
                if "held_as" not in session_item:
                    continue
                roundtable = self.get(Roundtable, **self.roundtable_lookup(meeting, item))
                session = self.get(Session, roundtable=roundtable, number=str(session_item["number"]))
                held = self.get(
                    Session,
                    meeting=meeting,
                    roundtable__stage=Stage.HELD,
                    roundtable__track=roundtable.track,
                    number=str(session_item["held_as"]),
                )
                if session.held_as_id != held.pk:
                    if session.changed_since_loaded and not self.force:
                        self.kept.append((session, str(session)))
                        continue
                    if session.changed_since_loaded:
                        self.replaced.append((session, str(session)))
                    session.held_as = held
                    self.save(session, update_fields=["held_as", "loaded_version"])

    def link_twins(self, meeting, items, default_source):
        """A point reported in two sources names its twin by the twin's source and place in it."""
        for item in items:
            if "also_reported_as" not in item:
                continue
            twin_key = item["also_reported_as"]
            twin = self.get(
                Recommendation,
                meeting=meeting,
                source__slug=twin_key.get("source", default_source),
                source_location=twin_key["source_location"],
            )
            record = self.get(
                Recommendation,
                meeting=meeting,
                source__slug=item.get("source", default_source),
                source_location=item["source_location"],
                parent=None,
            )
            if record.also_reported_as_id != twin.pk:
                if record.changed_since_loaded and not self.force:
                    self.kept.append((record, str(record)))
                    continue
                if record.changed_since_loaded:
                    self.replaced.append((record, str(record)))
                record.also_reported_as = twin
                self.save(record, update_fields=["also_reported_as", "loaded_version"])


def differs(obj, field, value):
    if isinstance(value, models.Model):
        return getattr(obj, f"{field}_id") != value.pk
    return getattr(obj, field) != value


def text(value):
    """Strip the trailing newline YAML block scalars leave."""
    return value.strip() if isinstance(value, str) else value


def short(item):
    return str(item)[:120]


def is_shared(data):
    return "meeting" not in data and any(key in data for key in SHARED_KEYS)


def fixture_paths(directory, names=()):
    """Every fixture in the directory, or the shared ones plus the named files."""
    directory = Path(directory)
    everything = sorted(directory.glob("*.yaml"))
    if not names:
        return everything
    shared = [p for p in everything if is_shared(yaml.safe_load(p.read_text()) or {})]
    named = [Path(n) if Path(n).exists() else directory / n for n in names]
    for path in named:
        if not path.exists():
            raise FixtureError(f"No fixture file {path}.")
    return sorted(set(shared) | {p.resolve() for p in named})
