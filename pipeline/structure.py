"""The shape of the content fixtures (docs/fixtures.md), declared once.

Every list of records in the files is a `Node`: the model its items are, the
YAML key that holds them, its fields and the lists nested in its items. A
`Field` knows the YAML keys it owns, what a file's item means for the record
(with the defaults a file may leave out: the file's source, a sub-point's
parent's kind and themes...) and what the record holds, both as natural values
(slugs, numbers) so that the two compare without the database's ids.

`load_gfmd` (pipeline/loading.py) and `export_gfmd` (pipeline/exporting.py)
both walk the files with `walk()`, so they read the files the same way: the
loader writes what differs into the database, the exporter writes what differs
back into the files. A new field is one line here.
"""

from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db.models import Q

from lib import vocabulary

SHARED_KEYS = ("sources", "themes", "gmg_members", "meetings")
HELD, GOVERNMENT, ROUNDTABLE, REPORTED = "held", "government", "roundtable", "reported-point"
# The kinds of record a link by editors joins (recommendations.models.LINK_ENDS).
LINK_KINDS = ("session", "recommendation", "activity")


class FixtureError(Exception):
    pass


def text(value):
    """A file's string as stored: without the trailing newline YAML block scalars leave."""
    return str(value).strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class Context:
    """Where an item is: its file, the meeting and parent record it belongs to, and the defaults it inherits."""

    file: str
    meeting: object = None
    parent: object = None
    parent_meaning: dict = field(default_factory=dict)
    source: str | None = None
    position: int | None = None


# -- fields -----------------------------------------------------------------


class Field:
    """A plain value: a YAML key holding the model field of the same name (or `attr`)."""

    deferred = False  # set after every record of the files exists (a link to a record loaded later)
    written = True  # has a YAML key (positions are the order of the items instead)

    def __init__(self, key, attr=None, default="", convert=None, always=False):
        self.key = key
        self.attr = attr or key
        self._default = default
        self.convert = convert
        self.always = always  # written even where it says the default, so that a file states it

    @property
    def keys(self):
        return (self.key,)

    @property
    def attrs(self):
        """The model fields it holds."""
        return (self.attr,)

    def default(self, ctx, meaning):
        return self._default(ctx, meaning) if callable(self._default) else self._default

    def read(self, item, ctx, meaning):
        """What the file says, as a natural value; the default where it says nothing."""
        if self.key not in item or item[self.key] is None:
            return self.default(ctx, meaning)
        value = text(item[self.key])
        return self.convert(value) if self.convert else value

    def db(self, obj):
        return getattr(obj, self.attr)

    def assign(self, obj, value, resolver, ctx):
        setattr(obj, self.attr, value)

    def write(self, value, ctx, meaning):
        """The YAML keys and values that say `value`; a key left out says the default."""
        if value == self.default(ctx, meaning) and not self.always:
            return {}
        return {self.key: value}


class English(Field):
    """A translated field's English (lib/vocabulary.py), read and written while English is active: the
    default language's column, which its own column follows on saving."""

    @property
    def attrs(self):
        return (self.attr, vocabulary.column(self.attr, vocabulary.default_language()))


class Translation(Field):
    """A translated field in another language (`name_fr`): empty where it is not translated, which the
    database holds as NULL."""

    def db(self, obj):
        return getattr(obj, self.attr) or ""

    def assign(self, obj, value, resolver, ctx):
        setattr(obj, self.attr, value or None)


def translated(*fields):
    """A record's translated fields: each in English, then in each other language, then where each other
    language's translation comes from (`translation_source_fr`: empty, its editors'; else its source)."""
    others = [language for language in vocabulary.languages() if language != vocabulary.default_language()]
    return [
        *(English(name) for name in fields),
        *(Translation(vocabulary.column(name, language)) for language in others for name in fields),
        English("translation_source"),
        *(Translation(vocabulary.column("translation_source", language)) for language in others),
    ]


class Number(Field):
    """A number as printed: '1.1', '7', 'b'; YAML may read a bare 7 as an integer."""

    def __init__(self, key, attr=None, default=""):
        super().__init__(key, attr, default, convert=str)


class Slug(Field):
    """A foreign key written as the related record's slug (or other natural key)."""

    def __init__(self, key, model, natural="slug", attr=None, default=None):
        super().__init__(key, attr, default)
        self.model, self.natural = model, natural

    def db(self, obj):
        related = getattr(obj, self.attr)
        return getattr(related, self.natural) if related is not None else None

    def assign(self, obj, value, resolver, ctx):
        setattr(obj, self.attr, resolver.get(self.model, **{self.natural: value}) if value is not None else None)


class Slugs(Field):
    """A many-to-many relation written as a list of natural keys; compared as a set."""

    def __init__(self, key, model, natural="slug", attr=None, default=frozenset()):
        super().__init__(key, attr, default)
        self.model, self.natural = model, natural

    def read(self, item, ctx, meaning):
        if self.key not in item or item[self.key] is None:
            return self.default(ctx, meaning)
        return frozenset(text(value) for value in item[self.key])

    def db(self, obj):
        return frozenset(getattr(obj, self.attr).values_list(self.natural, flat=True))

    def assign(self, obj, value, resolver, ctx):
        getattr(obj, self.attr).set([resolver.get(self.model, **{self.natural: v}) for v in sorted(value)])

    def ordered(self, value):
        model = apps.get_model(self.model)
        return list(
            model._default_manager.filter(**{f"{self.natural}__in": value}).values_list(self.natural, flat=True)
        )

    def write(self, value, ctx, meaning):
        if value == self.default(ctx, meaning):
            return {}
        return {self.key: self.ordered(value)}


class Tags(Slugs):
    def __init__(self, key="tags", default=frozenset()):
        super().__init__(key, "taggit.Tag", natural="name", default=default)

    def db(self, obj):
        return frozenset(obj.tags.names())

    def assign(self, obj, value, resolver, ctx):
        obj.tags.set(sorted(value), clear=True)

    def ordered(self, value):
        return sorted(value)


class Parent(Field):
    """The record an item is nested in; not a YAML key: where the item stands says it."""

    written = False

    def __init__(self, attr, of="parent"):
        super().__init__(attr, attr)
        self.of = of

    def read(self, item, ctx, meaning):
        record = getattr(ctx, self.of)
        return record.pk if record is not None else None

    def db(self, obj):
        return getattr(obj, f"{self.attr}_id")

    def assign(self, obj, value, resolver, ctx):
        setattr(obj, self.attr, getattr(ctx, self.of))

    def write(self, value, ctx, meaning):
        return {}


class PointMeeting(Parent):
    """A point's meeting: the file's, unless the point is another event's, which is no meeting's."""

    def __init__(self):
        super().__init__("meeting", of="meeting")

    def read(self, item, ctx, meaning):
        return None if meaning.get("event") else super().read(item, ctx, meaning)

    def assign(self, obj, value, resolver, ctx):
        setattr(obj, self.attr, None if value is None else ctx.meeting)


class Position(Parent):
    """The order within a list: counted from the items' order in the files."""

    def __init__(self):
        super().__init__("position")

    def read(self, item, ctx, meaning):
        return ctx.position

    def db(self, obj):
        return obj.position

    def assign(self, obj, value, resolver, ctx):
        obj.position = value


class RoundtableRef(Field):
    """A recommendation's roundtable: its number, with stage and kind where they are not the defaults."""

    def __init__(self, default=None):
        super().__init__("roundtable", default=default)

    @property
    def keys(self):
        return ("roundtable", "roundtable_stage", "roundtable_kind")

    def read(self, item, ctx, meaning):
        if "roundtable" not in item:
            return self.default(ctx, meaning)
        return (
            meaning["track"],
            text(item.get("roundtable_stage", HELD)),
            text(item.get("roundtable_kind", ROUNDTABLE)),
            int(item["roundtable"]),
        )

    def db(self, obj):
        rt = obj.roundtable
        return None if rt is None else (rt.track, rt.stage, rt.kind, rt.number)

    def assign(self, obj, value, resolver, ctx):
        if value is None:
            obj.roundtable = None
            return
        track, stage, kind, number = value
        obj.roundtable = resolver.get(
            "gfmd_sessions.Roundtable", meeting=ctx.meeting, track=track, stage=stage, kind=kind, number=number
        )

    def write(self, value, ctx, meaning):
        if value == self.default(ctx, meaning) or value is None:
            return {}
        _, stage, kind, number = value
        keys = {"roundtable": number}
        if stage != HELD:
            keys["roundtable_stage"] = stage
        if kind != ROUNDTABLE:
            keys["roundtable_kind"] = kind
        return keys


class SessionRef(Field):
    """A session named by its number, or by its slug where the source prints no number."""

    def __init__(self, key="session", default=None):
        super().__init__(key, default=default)

    def read(self, item, ctx, meaning):
        if self.key not in item:
            return self.default(ctx, meaning)
        return str(text(item[self.key]))

    def db(self, obj):
        session = obj.session
        return None if session is None else (session.number or session.slug)

    def assign(self, obj, value, resolver, ctx):
        if value is None:
            obj.session = None
            return
        if obj.roundtable is None:
            raise FixtureError(f"{ctx.file}: a recommendation names session {value} but no roundtable.")
        obj.session = resolver.get(
            "gfmd_sessions.Session", Q(number=value) | Q(number="", slug=value), roundtable=obj.roundtable
        )


class LinkEnd(Field):
    """One end of a link by editors: a session by its meeting and slug ({meeting, session}), a point by its
    meeting, source and place in it ({meeting, source, source_location}), a GMG proposed activity by its
    meeting, source and place in it ({meeting, source, activity})."""

    def __init__(self, key):
        super().__init__(key, default=None)
        self.side = key

    def read(self, item, ctx, meaning):
        end = item.get(self.key)
        if not isinstance(end, dict) or "meeting" not in end:
            raise FixtureError(f"{ctx.file}: a link's {self.key} names a meeting and a session or a point: {end}")
        if "session" in end:
            return ("session", text(end["meeting"]), text(str(end["session"])))
        if "activity" in end:
            return ("activity", text(end["meeting"]), text(end["source"]), text(end["activity"]))
        return ("recommendation", text(end["meeting"]), text(end["source"]), text(end["source_location"]))

    def db(self, obj):
        session, point = getattr(obj, f"{self.side}_session"), getattr(obj, f"{self.side}_recommendation")
        activity = getattr(obj, f"{self.side}_activity")
        if session is not None:
            return ("session", session.meeting.slug, session.slug)
        if activity is not None:
            meeting = activity.section.roundtable.meeting
            return ("activity", meeting.slug, activity.source.slug, activity.source_location)
        return ("recommendation", point.meeting.slug, point.source.slug, point.source_location)

    def lookup(self, value):
        """The conditions on a link that find the record at this end."""
        prefix = f"{self.side}_{value[0]}"
        if value[0] == "session":
            return {f"{prefix}__meeting__slug": value[1], f"{prefix}__slug": value[2]}
        if value[0] == "activity":
            return {
                f"{prefix}__section__roundtable__meeting__slug": value[1],
                f"{prefix}__source__slug": value[2],
                f"{prefix}__source_location": value[3],
            }
        return {
            f"{prefix}__meeting__slug": value[1],
            f"{prefix}__source__slug": value[2],
            f"{prefix}__source_location": value[3],
            f"{prefix}__parent": None,
        }

    def assign(self, obj, value, resolver, ctx):
        if value[0] == "session":
            record = resolver.get("gfmd_sessions.Session", meeting__slug=value[1], slug=value[2])
        elif value[0] == "activity":
            record = resolver.get(
                "recommendations.ProposedActivity",
                section__roundtable__meeting__slug=value[1],
                source__slug=value[2],
                source_location=value[3],
            )
        else:
            record = resolver.get(
                "recommendations.Recommendation",
                meeting__slug=value[1],
                source__slug=value[2],
                source_location=value[3],
                parent=None,
            )
        for kind in LINK_KINDS:
            setattr(obj, f"{self.side}_{kind}", record if kind == value[0] else None)

    @property
    def attrs(self):
        return tuple(f"{self.side}_{kind}" for kind in LINK_KINDS)

    def write(self, value, ctx, meaning):
        if value[0] == "session":
            return {self.key: {"meeting": value[1], "session": value[2]}}
        if value[0] == "activity":
            return {self.key: {"meeting": value[1], "source": value[2], "activity": value[3]}}
        return {self.key: {"meeting": value[1], "source": value[2], "source_location": value[3]}}


def recommendation_stage(ctx, meaning):
    """A planned roundtable's points are planned (the model says the same); others held unless the item says."""
    roundtable = meaning["roundtable"]
    return "planned" if roundtable is not None and roundtable[1] == "planned" else HELD


def provenance(source_default=lambda ctx, meaning: ctx.source):
    return [
        Slug("source", "gfmd.SourceDocument", default=source_default),
        Field("source_location"),
        Slugs("other_sources", "gfmd.SourceDocument"),
        Field("editorial_note"),
    ]


def browsing(themes_default=frozenset()):
    return [Slugs("themes", "themes.Theme", default=themes_default), Tags()]


def inherited(attr):
    """A sub-point's default: what its parent recommendation holds."""
    return lambda ctx, meaning: ctx.parent_meaning[attr]


def session_slug(ctx, meaning):
    model = apps.get_model("gfmd_sessions", "Session")
    return model(roundtable=ctx.parent, number=meaning["number"], title=meaning["title"]).default_slug()


# -- nodes ------------------------------------------------------------------


@dataclass
class Node:
    key: str  # the YAML key of the list
    label: str  # the model, by label
    fields: list
    children: list = field(default_factory=list)
    # Where an item's record stands in the database, below its parent: for finding the children of a record.
    parent_attr: str | None = None
    parent_filter: dict = field(default_factory=dict)
    # The record whose file lists a record, where it is not its parent_attr: another event's point has no
    # meeting, and is listed in the file of the meeting its event is reported beside.
    home: object = None
    ordering: tuple = ("pk",)
    # Positions are counted per list; this says which list an item is in (None: not counted).
    counter: object = None
    # The records whose positions must differ (a unique constraint), given an item's meaning.
    position_scope: tuple = ()
    # How an item without an id is found: its natural key, from its meaning.
    natural: object = None
    scalar: bool = False  # items are plain strings: the record's text
    early: bool = False  # loaded before a meeting's other lists, which name its records
    references: bool = False  # an item may only name a record another file describes, to add to its lists

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def key_order(self):
        keys = ["id"]
        for f in self.fields:
            if f.written:
                keys.extend(f.keys)
        return keys + [child.key for child in self.children]

    def meaning(self, item, ctx, deferred=False):
        """The record as the item describes it: attribute -> natural value."""
        meaning = {}
        for f in self.fields:
            if f.deferred == deferred:
                if self.scalar:
                    meaning[f.attr] = f.read({f.key: item}, ctx, meaning)
                else:
                    meaning[f.attr] = f.read(item, ctx, meaning)
        return meaning

    @property
    def related(self):
        """The relations its fields read, to fetch with the record."""
        return [f.attr for f in self.fields if isinstance(f, Slug | RoundtableRef | SessionRef)]

    def db_meaning(self, obj, deferred=None):
        return {f.attr: f.db(obj) for f in self.fields if deferred is None or f.deferred == deferred}

    def lookup(self, meaning, ctx):
        """Conditions that find an item's record without an id."""
        return self.natural(meaning, ctx)

    def children_of(self, record):
        return self.model._default_manager.filter(**{self.parent_attr: record}, **self.parent_filter).order_by(
            *self.ordering
        )


def is_reference(item):
    """A roundtable item that only names a roundtable another file describes, to add to its lists."""
    return not (set(item) - {"id", "number", "track", "stage", "kind", "sessions", "sections"})


def scalar_node(key, label):
    return Node(
        key,
        label,
        [Parent("activity"), Position(), Field("text")],
        parent_attr="activity",
        ordering=("position",),
        counter=lambda meaning, ctx: (key, ctx.parent.pk),
        position_scope=("activity",),
        natural=lambda meaning, ctx: {"activity": ctx.parent, "position": ctx.position},
        scalar=True,
    )


def session_natural(meaning, ctx):
    if meaning["number"]:
        return {"roundtable": ctx.parent, "number": meaning["number"]}
    if meaning["slug"]:
        return {"roundtable": ctx.parent, "slug": meaning["slug"]}
    return {"roundtable": ctx.parent, "title": meaning["title"]}


SESSIONS = Node(
    "sessions",
    "gfmd_sessions.Session",
    [
        Parent("roundtable"),
        Number("number"),
        Field("number_assigned", default=False),
        Field("title"),
        Field("slug", default=session_slug),
        Field("discussion"),
        Field("co_chairs"),
        *provenance(),
        *browsing(),
    ],
    parent_attr="roundtable",
    ordering=("number", "pk"),
    natural=session_natural,
)

ACTIVITIES = Node(
    "activities",
    "recommendations.ProposedActivity",
    [
        Parent("section"),
        Position(),
        Field("text"),
        Slugs("gmg_members", "recommendations.GMGMember", natural="acronym"),
        *provenance(),
        *browsing(),
    ],
    children=[
        scalar_node("sub_activities", "recommendations.SubActivity"),
        scalar_node("objectives", "recommendations.Objective"),
    ],
    parent_attr="section",
    ordering=("position",),
    counter=lambda meaning, ctx: ("activities", ctx.parent.pk),
    position_scope=("section",),
    natural=lambda meaning, ctx: {"section": ctx.parent, "position": ctx.position},
)

SECTIONS = Node(
    "sections",
    "recommendations.Section",
    [Parent("roundtable"), Field("letter"), Field("title"), *provenance()],
    children=[ACTIVITIES],
    parent_attr="roundtable",
    ordering=("letter",),
    natural=lambda meaning, ctx: {"roundtable": ctx.parent, "letter": meaning["letter"]},
)

ROUNDTABLES = Node(
    "roundtables",
    "gfmd_sessions.Roundtable",
    [
        Parent("meeting", of="meeting"),
        Field("number", convert=int, default=None),
        Field("number_assigned", default=False),
        Field("track", default=GOVERNMENT),
        Field("stage", default=HELD),
        Field("kind", default=ROUNDTABLE),
        Field("title"),
        Field("group_heading"),
        Field("summary"),
        *provenance(),
        *browsing(),
    ],
    children=[SESSIONS, SECTIONS],
    parent_attr="meeting",
    early=True,
    references=True,
    ordering=("track", "stage", "kind", "number"),
    natural=lambda meaning, ctx: {
        "meeting": ctx.meeting,
        **{k: meaning[k] for k in ("track", "stage", "kind", "number")},
    },
)


def event_kind(value):
    """A point's kind where its item names none: another event's point is a point reported from it."""
    return lambda ctx, meaning: REPORTED if meaning.get("event") else value


def recommendation_list(meaning, ctx):
    return (
        "recommendations",
        ctx.meeting.pk,
        meaning["track"],
        meaning["roundtable"],
        meaning["session"],
        meaning["kind"],
        ctx.parent.pk if ctx.parent is not None else None,
    )


def recommendation_natural(meaning, ctx):
    lookup = {
        "meeting": ctx.meeting if meaning["meeting"] is not None else None,
        "track": meaning["track"],
        "kind": meaning["kind"],
        "parent": ctx.parent,
        "position": ctx.position,
    }
    if meaning["event"] is None:
        lookup["event"] = None
    else:
        lookup["event__slug"] = meaning["event"]
    if meaning["roundtable"] is None:
        lookup["roundtable"] = None
    else:
        track, stage, kind, number = meaning["roundtable"]
        lookup |= {
            "roundtable__track": track,
            "roundtable__stage": stage,
            "roundtable__kind": kind,
            "roundtable__number": number,
        }
    if meaning["session"] is None:
        lookup["session"] = None
    else:
        lookup["session__in"] = apps.get_model("gfmd_sessions", "Session")._default_manager.filter(
            Q(number=meaning["session"]) | Q(number="", slug=meaning["session"]), meeting=ctx.meeting
        )
    return lookup


def recommendation_fields(sub_point):
    """A sub-point takes its parent's kind, track, roundtable, session, heading, source and themes unless it says."""

    def default(attr, value):
        return inherited(attr) if sub_point else value

    def unless_event(value):
        # Another event's point has no track or stage of a meeting.
        return lambda ctx, meaning: "" if meaning.get("event") else (value(ctx, meaning) if callable(value) else value)

    return [
        # Read first: what a point is of decides its meeting, kind, track and stage.
        Slug("event", "gfmd_sessions.Event", default=default("event", None)),
        PointMeeting(),
        Parent("parent"),
        Position(),
        Field("kind", default=default("kind", event_kind("recommendation"))),
        Field("track", default=default("track", unless_event(GOVERNMENT))),
        RoundtableRef(default=default("roundtable", None)),
        SessionRef(default=default("session", None)),
        Field("stage", default=default("stage", unless_event(recommendation_stage))),
        Number("number"),
        Field("number_restored", default=False),
        Field("group_heading", default=default("group_heading", "")),
        Field("text"),
        *provenance(default("source", lambda ctx, meaning: ctx.source)),
        *browsing(default("themes", frozenset())),
    ]


SUB_POINTS = Node(
    "children",
    "recommendations.Recommendation",
    recommendation_fields(sub_point=True),
    parent_attr="parent",
    ordering=("position", "pk"),
    counter=lambda meaning, ctx: ("sub-points", ctx.parent.pk),
    position_scope=("parent",),
    natural=lambda meaning, ctx: {"parent": ctx.parent, "position": ctx.position},
)

RECOMMENDATIONS = Node(
    "recommendations",
    "recommendations.Recommendation",
    recommendation_fields(sub_point=False),
    children=[SUB_POINTS],
    parent_attr="meeting",
    parent_filter={"parent": None},
    home=lambda point: point.meeting or point.event.meeting,
    ordering=(
        "track",
        "roundtable__stage",
        "roundtable__kind",
        "roundtable__number",
        "session_id",
        "kind",
        "position",
        "pk",
    ),
    counter=recommendation_list,
    natural=recommendation_natural,
)

MILESTONES = Node(
    "milestones",
    "gfmd_sessions.Milestone",
    [Parent("meeting", of="meeting"), Position(), Field("when", convert=str), Field("text"), *provenance()],
    parent_attr="meeting",
    ordering=("position",),
    counter=lambda meaning, ctx: ("milestones", ctx.meeting.pk),
    position_scope=("meeting",),
    natural=lambda meaning, ctx: {"meeting": ctx.meeting, "position": ctx.position},
)

EVENTS = Node(
    "events",
    "gfmd_sessions.Event",
    [
        Parent("meeting", of="meeting"),
        Field("slug"),
        Field("title"),
        Field("when"),
        Field("place"),
        Field("organiser"),
        Field("summary"),
        *provenance(),
    ],
    parent_attr="meeting",
    ordering=("slug",),
    natural=lambda meaning, ctx: {"slug": meaning["slug"]},
    early=True,
)


def passage_natural(meaning, ctx):
    return {"source__slug": meaning["source"], "source_location": meaning["source_location"]}


PASSAGES = Node(
    "passages",
    "gfmd_sessions.Passage",
    [Parent("meeting", of="meeting"), Position(), Field("heading"), Field("text"), *provenance()],
    parent_attr="meeting",
    ordering=("position",),
    counter=lambda meaning, ctx: ("passages", ctx.meeting.pk),
    natural=passage_natural,
)

# Passages of no meeting: context a source gives, shown on its page; counted per source.
CONTEXT_PASSAGES = Node(
    "passages",
    "gfmd_sessions.Passage",
    [Parent("meeting", of="meeting"), Position(), Field("heading"), Field("text"), *provenance()],
    parent_filter={"meeting": None},
    ordering=("source__slug", "position"),
    counter=lambda meaning, ctx: ("passages", meaning["source"]),
    natural=passage_natural,
)

SOURCES = Node(
    "sources",
    "gfmd.SourceDocument",
    [
        Field("slug"),
        Field("title"),
        Field("issuer"),
        Field("date", default=None),
        Field("date_supplied"),
        Field("place"),
        Field("kind"),
        Field("url"),
        Field("description"),
    ],
    ordering=("slug",),
    natural=lambda meaning, ctx: {"slug": meaning["slug"]},
)

THEMES = Node(
    "themes",
    "themes.Theme",
    [Field("slug"), *translated("name", "description"), Position()],
    ordering=("position", "name"),
    counter=lambda meaning, ctx: ("themes",),
    natural=lambda meaning, ctx: {"slug": meaning["slug"]},
)

GMG_MEMBERS = Node(
    "gmg_members",
    "recommendations.GMGMember",
    [Field("acronym"), *translated("name", "abbreviation"), Field("url")],
    ordering=("acronym",),
    natural=lambda meaning, ctx: {"acronym": meaning["acronym"]},
)

MEETINGS = Node(
    "meetings",
    "gfmd_sessions.Meeting",
    [
        Field("slug"),
        Field("ordinal", convert=int, default=None),
        Field("year", convert=int, default=None),
        *translated("city", "country"),
        Field("chair"),
        Field("start_date", default=None),
        Field("end_date", default=None),
        Field("civil_society_start_date", default=None),
        Field("civil_society_end_date", default=None),
        Field("overarching_theme"),
        Field("summary"),
        # Coverage is written for a new meeting even at its default, so that its file says what its sources give.
        Field("sessions_coverage", default="partial", always=True),
        Field("sessions_held", default=None, convert=int),
        Field("government_roundtables_held", default=None, convert=int),
        Field("recommendations_coverage", default="partial", always=True),
        Field("coverage_note"),
        *provenance(lambda ctx, meaning: None),
    ],
    ordering=("year",),
    natural=lambda meaning, ctx: {"slug": meaning["slug"]},
)

LINK_FROM, LINK_TO = LinkEnd("from"), LinkEnd("to")

# Links by editors, in a file of their own: read after every record they join, of whatever meeting's file.
LINKS = Node(
    "links",
    "recommendations.Link",
    [Field("type"), LINK_FROM, LINK_TO, Field("note"), Field("quote")],
    ordering=("pk",),
    natural=lambda meaning, ctx: {
        "type": meaning["type"],
        **LINK_FROM.lookup(meaning["from"]),
        **LINK_TO.lookup(meaning["to"]),
    },
)

SHARED = {
    "sources": SOURCES,
    "themes": THEMES,
    "gmg_members": GMG_MEMBERS,
    "meetings": MEETINGS,
    "passages": CONTEXT_PASSAGES,
}
# Read last, after every meeting's content.
LATE = {"links": LINKS}
# A meeting's content file: its lists, in the order they are loaded.
MEETING_CONTENT = [EVENTS, ROUNDTABLES, RECOMMENDATIONS, PASSAGES, MILESTONES]


def all_nodes():
    seen = []

    def visit(node):
        seen.append(node)
        for child in node.children:
            visit(child)

    for node in [*SHARED.values(), *MEETING_CONTENT, *LATE.values()]:
        visit(node)
    return seen


# -- walking the files ------------------------------------------------------


class Walker:
    """Walks the files in load order, handing each item to `visit`, which returns its record (or None).

    Shared lists first (sources, themes, GMG members, meetings), then the meetings'
    content files in name order: first every roundtable a file describes, so that
    another file may add to it, then their sessions and sections, then the
    recommendations and milestones, and last the links to records loaded earlier.
    """

    def __init__(self):
        self.counts = {}
        self.deferred = []  # (node, item, ctx, record)

    def next_position(self, node, meaning, ctx):
        if node.counter is None:
            return None
        key = node.counter(meaning, ctx)
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]

    def walk(self, documents):
        shared = [(path, data) for path, data in documents if "meeting" not in data]
        for key, node in SHARED.items():
            for path, data in shared:
                for item in list(data.get(key) or []):
                    self.item(node, data[key], item, Context(file=path.name))
        content = [(path, data) for path, data in documents if "meeting" in data]
        contexts = [
            (data, Context(file=path.name, meeting=self.meeting(data["meeting"], path), source=data.get("source")))
            for path, data in content
        ]
        early = [node for node in MEETING_CONTENT if node.early]
        # First what other lists name (events, roundtables), in every file; a roundtable's reference waits.
        described = {}
        for data, ctx in contexts:
            for node in early:
                for item in list(data.get(node.key) or []):
                    if not (node.references and is_reference(item)):
                        described[id(item)] = self.item(node, data[node.key], item, ctx, recurse=False)
        for data, ctx in contexts:
            for node in early:
                for item in list(data.get(node.key) or []):
                    if id(item) in described:
                        record, meaning = described[id(item)]
                    else:
                        record, meaning = self.reference(node, data[node.key], item, ctx)
                    if record is not None:
                        self.children(node, item, ctx, record, meaning)
        for data, ctx in contexts:
            for node in MEETING_CONTENT:
                if not node.early:
                    for item in list(data.get(node.key) or []):
                        self.item(node, data[node.key], item, ctx)
        for node, item, ctx, record in self.deferred:
            self.visit_deferred(node, item, ctx, record)
        for key, node in LATE.items():
            for path, data in shared:
                for item in list(data.get(key) or []):
                    self.item(node, data[key], item, Context(file=path.name))

    def item(self, node, seq, item, ctx, recurse=True):
        if not node.scalar and not isinstance(item, dict):
            raise FixtureError(f"{ctx.file}: an item of {node.key} must be a mapping of keys: {str(item)[:120]}")
        meaning = node.meaning(item, ctx)
        position = self.next_position(node, meaning, ctx)
        if position is not None:
            ctx = replace(ctx, position=position)
            meaning = node.meaning(item, ctx)
        record = self.visit(node, seq, item, ctx, meaning)
        if record is None:
            return None, meaning
        if any(f.deferred for f in node.fields):
            self.deferred.append((node, item, ctx, record))
        if recurse:
            self.children(node, item, ctx, record, meaning)
        return record, meaning

    def children(self, node, item, ctx, record, meaning):
        for child in node.children:
            seq = item.get(child.key) or []
            child_ctx = Context(
                file=ctx.file,
                meeting=ctx.meeting,
                parent=record,
                parent_meaning=self.meaning_for_children(node, record, meaning),
                source=ctx.source,
            )
            for entry in list(seq):
                self.item(child, seq, entry, child_ctx)

    def meaning_for_children(self, node, record, meaning):
        return meaning

    # Implemented by the loader and the exporter.
    def meeting(self, slug, path):
        raise NotImplementedError

    def visit(self, node, seq, item, ctx, meaning):
        raise NotImplementedError

    def reference(self, node, seq, item, ctx):
        raise NotImplementedError

    def visit_deferred(self, node, item, ctx, record):
        pass
