from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from lib.citation import DRAFT, FORUM, GMG, HELD, PLANNED, PROPOSED, document_of, printed, short
from lib.models import LONG_TEXT, Linked, Sourced, Versioned
from lib.vocabulary import Translated, columns
from sessions.models import Stage, Track, meeting_occasion


class RecommendationQuerySet(models.QuerySet):
    def held(self):
        """What a reader counts by default: points of the meeting as held, not plans, drafts or other events."""
        return self.of_stage([Stage.HELD])

    def planned(self):
        return self.of_stage([Stage.PLANNED])

    def of_stage(self, stages):
        """The meeting's own points at these stages; another event's points are never the meeting's."""
        return self.filter(stage__in=stages, event__isnull=True)

    def of_events(self):
        """Points of other events: their events', with no meeting, track or stage of a GFMD meeting."""
        return self.filter(event__isnull=False)

    def top_level(self):
        """Numbered points, without their lettered sub-points."""
        return self.filter(parent__isnull=True)

    def with_also_reported_as(self):
        """Each point with `also_reported_as_id`: the same point as another source reports it (an editors' link)."""
        twin = Link.objects.filter(type=LinkType.ALSO_REPORTED_AS, from_recommendation=OuterRef("pk"))
        return self.annotate(also_reported_as_id=Subquery(twin.values("to_recommendation")[:1]))

    def restating(self, points):
        """Those of these points that are also reported as one of `points`: counted once, not twice."""
        return self.filter(links_out__type=LinkType.ALSO_REPORTED_AS, links_out__to_recommendation__in=points)


class Recommendation(Linked, Sourced):
    """A recommendation, follow-up action, outcome sought or key message of a meeting, or a point another
    event made that a source reports beside a meeting (the event's, not the meeting's)."""

    QUOTED_FIELDS = ("text",)

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        FOLLOW_UP = "follow-up", _("Follow-up action")
        OUTCOME_SOUGHT = "outcome-sought", _("Outcome sought")
        KEY_MESSAGE = "key-message", _("Key message")
        FEEDBACK = "feedback", _("Feedback")
        # The source names no kind for them: a kind of their own, not one of the Forum's.
        REPORTED = "reported-point", _("Point reported from another event")

    meeting = models.ForeignKey(
        "gfmd_sessions.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text=_(
            "The GFMD meeting whose point it is. Empty for a point of another event: the event says beside "
            "which meeting its source reports it."
        ),
    )
    roundtable = models.ForeignKey(
        "gfmd_sessions.Roundtable",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text=_("Empty for recommendations of the meeting as a whole (cross-cutting)."),
    )
    session = models.ForeignKey(
        "gfmd_sessions.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text=_("The session it came from, where the source says."),
    )
    track = models.CharField(
        max_length=20,
        choices=Track.choices,
        default=Track.GOVERNMENT,
        blank=True,
        help_text=_("The track of the meeting. Empty for a point of another event, which was no track of a meeting."),
    )
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.HELD,
        blank=True,
        help_text=_(
            "Planned: a plan or a preparatory draft, not an outcome of the meeting. "
            "Always planned under a planned roundtable. Empty for a point of another event."
        ),
    )
    event = models.ForeignKey(
        "gfmd_sessions.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text=_(
            "For a point of another event the source reports beside a meeting: that event. The point is "
            "then the event's: no meeting, track or stage of its own, and the kind 'point reported from another event'."
        ),
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.RECOMMENDATION,
        help_text=_(
            "As the source names the list it prints the point in. "
            "A point of another event is always 'point reported from another event'."
        ),
    )
    number = models.CharField(max_length=10, blank=True, help_text=_("As printed: 7, or b for a sub-point."))
    number_restored = models.BooleanField(
        default=False,
        help_text=_(
            "The source does not print this number or letter (lost in extraction): it is restored by "
            "counting. Say so in the source location too."
        ),
    )
    position = models.PositiveSmallIntegerField(help_text=_("Order within its list, from 1."))
    text = models.TextField(max_length=LONG_TEXT, help_text=_("The source's words, repaired but never paraphrased."))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text=_("For a lettered sub-point: the numbered recommendation it belongs to."),
    )
    group_heading = models.CharField(
        max_length=200, blank=True, help_text=_("The heading it is printed under: 'Rights', 'Circular migration'.")
    )
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="recommendations")
    tags = TaggableManager(blank=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["other_sources", "themes"])

    class Meta:
        # Other events' points, of no meeting, after the meetings' on both databases.
        ordering = [
            F("meeting__year").asc(nulls_last=True),
            "track",
            "roundtable__number",
            "kind",
            "parent_id",
            "position",
        ]
        indexes = [
            # The kind and track facets count from this index alone, without reading the texts.
            models.Index(fields=["kind", "track"], name="recommendation_kind_track"),
            # A meeting's numbered points: without it SQLite reads every top-level point (parent IS NULL).
            models.Index(fields=["meeting", "parent"], name="recommendation_meeting_parent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="one_subpoint_per_position",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="recommendation_not_its_own_parent"),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_has_text"),
            models.CheckConstraint(condition=Q(position__gte=1), name="recommendation_position_positive"),
            models.CheckConstraint(
                condition=Q(event__isnull=True) | Q(roundtable__isnull=True), name="event_point_has_no_roundtable"
            ),
            # A meeting's point has its meeting, track and stage; another event's point has none of them.
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=True, meeting__isnull=False)
                    & ~Q(track="")
                    & ~Q(stage="")
                    & ~Q(kind="reported-point")
                )
                | Q(event__isnull=False, meeting__isnull=True, track="", stage="", kind="reported-point"),
                name="event_point_is_the_events",
            ),
        ]

    def __str__(self):
        number = f" {self.number}" if self.number else ""
        whose = self.event.title[:40] if self.event_id else (self.meeting.year if self.meeting_id else "")
        return f"{whose} {self.get_kind_display()}{number}: {self.text[:70]}".strip()

    def get_absolute_url(self):
        return reverse("recommendations:recommendation", kwargs={"pk": self.pk})

    def citation(self):
        """Another event's point is cited as the event's; a meeting's point as of its meeting and track, or,
        planned, of the plan or draft its source is, dated as that document."""
        parent = self.parent
        numbers = (
            printed(parent.number, parent.number_restored) if parent else "",
            printed(self.number, self.number_restored),
        )
        number = " ".join(n for n in numbers if n)
        label = self.get_kind_display()
        cited = {"title": f"{label}{f' {number}' if number else ''}: {short(self.text)}", "document": document_of(self)}
        if self.event_id:
            occasion = self.event.occasion
            key, genre, author = f"{self.event.slug}-{self.pk}", label, self.event.organiser
        elif self.stage == Stage.PLANNED:
            kind = PLANNED if self.roundtable and self.roundtable.stage == Stage.PLANNED else DRAFT
            occasion = self.meeting_occasion(kind, cited["document"].dated)
            key, author = f"gfmd{self.meeting.year}-{self.kind}-{self.pk}", self.source.issuer
            genre = "Feedback on the drafts" if self.kind == self.Kind.FEEDBACK else f"{kind.title()} {label.lower()}"
        else:
            occasion = self.meeting_occasion(HELD)
            key, genre, author = f"gfmd{self.meeting.year}-{self.kind}-{self.pk}", label, FORUM
        dated = {"issued": occasion.dated, "occasion": occasion, "links": self.cited_links}
        return cited | {"key": key, "genre": genre, "author": author} | dated

    def meeting_occasion(self, kind, plan=None):
        part = self.roundtable.label if self.roundtable else ""
        return meeting_occasion(self.meeting, self.track, part, kind=kind, plan=plan)

    def derive_fields(self):
        """A planned roundtable's points are planned; a sub-point is at its parent's stage and event; another
        event's point has no meeting, track or stage, and the kind of a point reported from another event."""
        if self.roundtable_id and self.roundtable.stage == Stage.PLANNED:
            self.stage = Stage.PLANNED
        if self.parent_id:
            self.stage = self.parent.stage
            self.event_id = self.parent.event_id
        if self.event_id:
            self.meeting = None
            self.track = ""
            self.stage = ""
            self.kind = self.Kind.REPORTED

    def clean_fields(self, exclude=None):
        self.derive_fields()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)

    @property
    def linked_title(self):
        whose = self.event.title if self.event_id else f"GFMD {self.meeting.year}, {self.meeting.city}"
        number = f" {self.number}" if self.number else ""
        return f"{whose}: {self.get_kind_display().lower()}{number}, “{short(self.text)}”"

    @property
    def kind_plural(self):
        """The kind's name for several: "Outcomes sought", not "Outcome soughts"."""
        return str(KIND_PLURALS[self.kind])

    @classmethod
    def kind_noun(cls, kind, count):
        """The kind after a count, in lower case: "1 recommendation", "3 outcomes sought"."""
        return KIND_NOUNS[kind](count)

    def clean(self):
        super().clean()
        errors = {}
        if self.event_id and self.roundtable_id:
            errors["event"] = gettext(
                "A point of another event belongs to no roundtable of the meeting: clear one of them."
            )
        elif not self.event_id and not self.meeting_id:
            errors["meeting"] = gettext("Choose the meeting whose point it is, or the other event whose point it is.")
        elif not self.event_id and self.kind == self.Kind.REPORTED:
            errors["kind"] = gettext(
                "A point reported from another event names that event: choose it, or another kind."
            )
        if self.roundtable_id and self.meeting_id and self.roundtable.meeting_id != self.meeting_id:
            errors["roundtable"] = gettext(
                "This roundtable is not part of %(meeting)s: choose one of its roundtables."
            ) % {"meeting": self.meeting}
        elif self.roundtable_id and self.roundtable.track != self.track:
            errors["track"] = gettext("The roundtable belongs to the %(track)s: choose that track.") % {
                "track": self.roundtable.get_track_display()
            }
        if self.session_id and self.session.roundtable_id != self.roundtable_id:
            errors["session"] = gettext("This session is not part of the chosen roundtable: choose its roundtable too.")
        if self.parent_id and self.parent.meeting_id != self.meeting_id:
            errors["parent"] = gettext(
                "A sub-point's parent must be a recommendation of the same meeting, %(meeting)s."
            ) % {"meeting": self.meeting}
        if errors:
            raise ValidationError(errors)


# The kinds' names for several, as headings give them, and after a count, in lower case (pluralised by the
# language's rules: French counts 0 and 1 as one).
KIND_PLURALS = {
    Recommendation.Kind.RECOMMENDATION: _("Recommendations"),
    Recommendation.Kind.FOLLOW_UP: _("Follow-up actions"),
    Recommendation.Kind.OUTCOME_SOUGHT: _("Outcomes sought"),
    Recommendation.Kind.KEY_MESSAGE: _("Key messages"),
    Recommendation.Kind.FEEDBACK: _("Feedbacks"),
    Recommendation.Kind.REPORTED: _("Points reported from another event"),
}
KIND_NOUNS = {
    Recommendation.Kind.RECOMMENDATION: lambda n: ngettext("recommendation", "recommendations", n),
    Recommendation.Kind.FOLLOW_UP: lambda n: ngettext("follow-up action", "follow-up actions", n),
    Recommendation.Kind.OUTCOME_SOUGHT: lambda n: ngettext("outcome sought", "outcomes sought", n),
    Recommendation.Kind.KEY_MESSAGE: lambda n: ngettext("key message", "key messages", n),
    Recommendation.Kind.FEEDBACK: lambda n: ngettext("feedback", "feedbacks", n),
    Recommendation.Kind.REPORTED: lambda n: ngettext(
        "point reported from another event", "points reported from another event", n
    ),
}


class GMGMemberQuerySet(models.QuerySet):
    def with_activities(self):
        """The agencies the matrix lists with expertise for at least one activity."""
        # A semi-join on the links: joining them and making the agencies distinct again sorts every link.
        links = self.model.activities.through.objects.values("gmgmember")
        return self.filter(pk__in=links)


class GMGMember(Translated, Versioned):
    """An agency of the Global Migration Group; its name, and its acronym as each of the Forum's languages
    writes it, translated (recommendations/translation.py)."""

    acronym = models.CharField(
        max_length=20,
        unique=True,
        # It is the agency's address (/gmg/UN-DESA/): no slash, nothing a link would have to escape.
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*\Z",
                _(
                    "Use letters and digits, with single spaces or hyphens between words (UN-DESA, World Bank): "
                    "the acronym is the agency's address on the site."
                ),
            )
        ],
        help_text=_("As the GMG spells it: UN-DESA. Letters and digits, with spaces or hyphens between words."),
    )
    name = models.CharField(max_length=200, unique=True, help_text="As the agency writes it in each language.")
    abbreviation = models.CharField(
        max_length=20,
        blank=True,
        help_text="The acronym as this language writes it (IOM is OIM in French and Spanish), where it differs; "
        "empty: the acronym. Shown only: the acronym stays the agency's address and filter value.",
    )
    url = models.URLField(blank=True)

    history = HistoricalRecords()

    objects = GMGMemberQuerySet.as_manager()

    NOT_IN_ENGLISH = ("translation_source", "abbreviation")

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("GMG member")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("recommendations:gmg_member", kwargs={"acronym": self.acronym})

    @property
    def shown_acronym(self):
        """The acronym as the reader's language writes it: OIM on a French page, IOM in English."""
        return self.abbreviation or self.acronym

    def issued(self, source):
        """Whether a source document is the agency's own: its issuer names the agency, by name or as
        "(IOM)" after it, or is its acronym."""
        issuer = source.issuer
        return bool(issuer) and (
            self.english("name") in issuer or issuer == self.acronym or f"({self.acronym})" in issuer
        )

    @property
    def search_words(self):
        """The words that name the agency in a text: its acronym or its name, each as a phrase."""
        return f'"{self.acronym}" or "{self.english("name")}"'


class Section(Sourced):
    """A lettered section of a roundtable in the GMG matrix of proposed activities."""

    QUOTED_FIELDS = ("title",)

    roundtable = models.ForeignKey("gfmd_sessions.Roundtable", on_delete=models.CASCADE, related_name="sections")
    letter = models.CharField(max_length=1, help_text=_("a, b, c... as printed."))
    title = models.CharField(max_length=300)

    history = HistoricalRecords(m2m_fields=["other_sources"])

    class Meta:
        ordering = ["roundtable__number", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["roundtable", "letter"], name="one_section_per_letter"),
            models.CheckConstraint(
                condition=Q(letter__in=list("abcdefghijklmnopqrstuvwxyz")), name="section_letter_a_to_z"
            ),
        ]

    def __str__(self):
        return f"{self.roundtable.meeting.year} RT {self.roundtable.number} ({self.letter}) {self.title}"

    def get_absolute_url(self):
        return self.roundtable.get_absolute_url()


class ProposedActivity(Linked, Sourced):
    """An activity the GMG proposed, with the member agencies listed with expertise."""

    QUOTED_FIELDS = ("text",)
    QUOTED_PREFETCH = ("sub_activities", "objectives")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(help_text=_("Order within its section, from 1."))
    text = models.TextField(max_length=LONG_TEXT, help_text=_("The activity as printed."))
    gmg_members = models.ManyToManyField(
        GMGMember,
        related_name="activities",
        blank=True,
        verbose_name=_("GMG members with expertise"),
    )
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="activities")
    tags = TaggableManager(blank=True)

    history = HistoricalRecords(m2m_fields=["other_sources", "themes", "gmg_members"])

    class Meta:
        ordering = ["section__roundtable__number", "section__letter", "position"]
        verbose_name = _("proposed activity")
        verbose_name_plural = _("proposed activities")
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="one_activity_per_position"),
            models.CheckConstraint(condition=~Q(text=""), name="activity_has_text"),
        ]

    def __str__(self):
        return f"RT {self.section.roundtable.number}{self.section.letter}.{self.position} {self.text[:70]}"

    def quoted_texts(self):
        """Its cell of the matrix's first column, then its specific activities and objectives in the second:
        the columns run into each other in the extraction, so each is anchored by itself."""
        return [
            ("text", self.text),
            *((f"sub-activity {item.position}", item.text) for item in self.sub_activities.all()),
            *((f"objective {item.position}", item.text) for item in self.objectives.all()),
        ]

    def get_absolute_url(self):
        return reverse("recommendations:activity", kwargs={"pk": self.pk})

    def citation(self):
        """Proposed for a roundtable's section, dated as the matrix that proposes it is (it bears no date)."""
        section = self.section
        roundtable = section.roundtable
        document = document_of(self)
        part = f"{roundtable.label}, section {section.letter}"
        occasion = meeting_occasion(roundtable.meeting, roundtable.track, part, kind=PROPOSED, plan=document.dated)
        return {
            "key": f"gmg{roundtable.meeting.year}-{roundtable.number}{section.letter}-{self.position}",
            "title": f"Proposed activity {roundtable.number}{section.letter}.{self.position}: {short(self.text)}",
            "genre": "Proposed activity",
            "author": self.source.issuer or GMG,
            "issued": occasion.dated,
            "occasion": occasion,
            "document": document,
            "links": self.cited_links,
        }

    @property
    def linked_title(self):
        section = self.section
        roundtable = section.roundtable
        where = f"GFMD {roundtable.meeting.year}, {roundtable.meeting.city}"
        return (
            f"{where}: GMG proposed activity {roundtable.number}{section.letter}.{self.position}, “{short(self.text)}”"
        )


class ActivityItem(Versioned):
    """One of the items an activity lists in order: its objectives, its specific activities.

    Each kind declares its own link to the activity, under the name the activity reads it by.
    """

    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=LONG_TEXT)

    class Meta:
        abstract = True
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "position"], name="one_%(class)s_per_position"),
            models.CheckConstraint(condition=~Q(text=""), name="%(class)s_has_text"),
        ]

    def quoted_texts(self):
        return [("text", self.text)]

    def anchored_record(self):
        """Its words are anchored as part of its activity's."""
        return self.activity

    def __str__(self):
        return self.text[:80]


class SubActivity(ActivityItem):
    """One of the 'specific activities' an activity lists."""

    activity = models.ForeignKey(ProposedActivity, on_delete=models.CASCADE, related_name="sub_activities")

    history = HistoricalRecords()

    class Meta(ActivityItem.Meta):
        verbose_name_plural = _("sub-activities")


class Objective(ActivityItem):
    """One objective of a proposed activity."""

    activity = models.ForeignKey(ProposedActivity, on_delete=models.CASCADE, related_name="objectives")

    history = HistoricalRecords()


# An activity's agencies as a page's list of activities names them: their acronyms, as a list (`agencies`),
# rather than a queryset built in each activity's related manager.
AGENCIES_SHOWN = models.Prefetch(
    "gmg_members", queryset=GMGMember.objects.only("acronym", *columns("abbreviation")), to_attr="agencies"
)


class LinkType(models.TextChoices):
    """How one record stands to another, as an editor reads the sources; each read from its source record."""

    HELD_AS = "held-as", _("Held as")
    ALSO_REPORTED_AS = "also-reported-as", _("Also reported as")
    RESTATES = "restates", _("Restates")
    BUILDS_ON = "builds-on", _("Builds on")
    FOLLOWS_UP = "follows-up", _("Follows up")
    ANSWERS = "answers", _("Answers")


# The same link read from its target record.
INVERSE_LABELS = {
    LinkType.HELD_AS: _("Planned as"),
    LinkType.ALSO_REPORTED_AS: _("Also reported as"),
    LinkType.RESTATES: _("Restated by"),
    LinkType.BUILDS_ON: _("Built on by"),
    LinkType.FOLLOWS_UP: _("Followed up by"),
    LinkType.ANSWERS: _("Answered by"),
}
# The kinds of record a link joins, by model: one foreign key each way per kind, exactly one of them set.
LINK_ENDS = {
    "session": "gfmd_sessions.Session",
    "recommendation": "recommendations.Recommendation",
    "activity": "recommendations.ProposedActivity",
}
LINK_KINDS = {label: kind for kind, label in LINK_ENDS.items()}
# What the address of each kind of record a link joins needs, read with a list's links: a session its slug and
# its meeting's; a point or an activity its id alone, which the link's row holds, so that their tables (two
# each way) stay out of the query, whose planning took longer on PostgreSQL than running it.
LINK_END_ADDRESS = {"session": ("slug", "meeting__slug"), "recommendation": (), "activity": ()}
# What a link's page shows of each kind of record it joins, read with the link.
LINK_END_RELATIONS = {
    "session": ("meeting", "roundtable"),
    "recommendation": ("meeting", "event"),
    "activity": ("section__roundtable__meeting",),
}


def one_of(prefix):
    """Exactly one of the ends named `prefix_<kind>` is set."""
    condition = Q()
    for kind in LINK_ENDS:
        others = {f"{prefix}_{other}__isnull": other != kind for other in LINK_ENDS}
        condition |= Q(**others)
    return condition


def not_to_itself():
    return Q(*[Q(**{f"from_{kind}__isnull": True}) | ~Q(**{f"from_{kind}": F(f"to_{kind}")}) for kind in LINK_ENDS])


@dataclass(frozen=True)
class LinkShown:
    """A link as a record's page shows it: how the other record stands to this one, and the link's words."""

    label: str
    record: object
    note: str
    quote: str


class LinkQuerySet(models.QuerySet):
    def of_record(self, record):
        """[LinkShown] of the links from and to a record: from it under the link's type, to it under the type
        read backwards ("Restated by").

        The links are read alone, then the records at their other ends, one query per kind of record with
        what their titles and addresses need: one query with every end and its relations joined would be
        twenty joins, whose SQL alone takes longer to write than these queries take to run, on every page,
        although most records have no link."""
        kind = LINK_KINDS[record._meta.label]
        links = list(self.filter(Q(**{f"from_{kind}": record}) | Q(**{f"to_{kind}": record})).order_by("type", "pk"))
        ends = []  # (outgoing, the other record's kind, its id), a link's
        wanted = defaultdict(set)  # {kind: the ids of the records of that kind the links lead to}
        for link in links:
            outgoing = getattr(link, f"from_{kind}_id") == record.pk
            end = "to" if outgoing else "from"
            other = link.end_kind(end)
            pk = getattr(link, f"{end}_{other}_id")
            ends.append((outgoing, other, pk))
            wanted[other].add(pk)
        records = {
            other: self.model._meta.get_field(f"to_{other}")
            .related_model._default_manager.select_related(*LINK_END_RELATIONS[other])
            .in_bulk(pks)
            for other, pks in wanted.items()
        }
        shown = []
        for link, (outgoing, other, pk) in zip(links, ends, strict=True):
            # A record deleted between the two reads takes its links with it: left out, as they are.
            if (target := records[other].get(pk)) is None:
                continue
            # Lazy, so that a citation's notes read it in English and the page in its reader's language.
            label = LinkType(link.type).label if outgoing else link.inverse_label
            shown.append(LinkShown(label, target, link.note, link.quote))
        return shown

    def attach_listed(self, records):
        """Give each record of a list's page `listed_links`: its links both ways as the API gives them, read
        in one query for the whole page, with what the other records' addresses need."""
        if not records:
            return
        kind = LINK_KINDS[records[0]._meta.label]
        by_pk = {record.pk: record for record in records}
        for record in records:
            record.listed_links = []
        ends = [f"{end}_{other}" for end in ("from", "to") for other in LINK_ENDS]
        addresses = [
            f"{end}_{other}__{field}"
            for end in ("from", "to")
            for other in LINK_ENDS
            for field in LINK_END_ADDRESS[other]
        ]
        links = (
            self.filter(Q(**{f"from_{kind}__in": list(by_pk)}) | Q(**{f"to_{kind}__in": list(by_pk)}))
            .select_related(*sorted({field.rpartition("__")[0] for field in addresses}))
            .only("type", "note", "quote", *ends, *addresses)
            .order_by("type", "pk")
        )
        for link in links:
            # The record of the page at one end (`near`), the record the link leads to at the other (`far`).
            for near, far, direction, label in (
                ("from", "to", "outgoing", link.get_type_display()),
                ("to", "from", "incoming", str(link.inverse_label)),
            ):
                if (record := by_pk.get(getattr(link, f"{near}_{kind}_id"))) is not None:
                    record.listed_links.append(
                        {
                            "type": link.type,
                            "direction": direction,
                            "label": label,
                            "record": link.end_address(far),
                            "note": link.note,
                            "quote": link.quote,
                        }
                    )


class Link(Versioned):
    """An editor's link from one record to another: a plan held as a session, a point another source also
    reports, a follow-up action restating a recommendation. Shown on both records' pages."""

    type = models.CharField(max_length=20, choices=LinkType.choices)
    from_session = models.ForeignKey(
        "gfmd_sessions.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="links_out"
    )
    from_recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="links_out"
    )
    from_activity = models.ForeignKey(
        ProposedActivity, null=True, blank=True, on_delete=models.CASCADE, related_name="links_out"
    )
    to_session = models.ForeignKey(
        "gfmd_sessions.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links_in",
        help_text=_("The session it links to; or choose a recommendation or an activity."),
    )
    to_recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links_in",
        help_text=_(
            "The recommendation, follow-up action or other point it links to; or choose a session or an activity."
        ),
    )
    to_activity = models.ForeignKey(
        ProposedActivity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links_in",
        help_text=_("The GMG's proposed activity it links to; or choose a session or a recommendation."),
    )
    note = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text=_("Shown to the public: what the editor checked, and where.")
    )
    quote = models.TextField(
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("The source's words that show the link, quoted as printed; say in the note where they are."),
    )

    history = HistoricalRecords()

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["type", "pk"]
        verbose_name = _("link by editors")
        verbose_name_plural = _("links by editors")
        constraints = [
            models.CheckConstraint(condition=one_of("from"), name="link_has_one_source_record"),
            models.CheckConstraint(condition=one_of("to"), name="link_has_one_target_record"),
            models.CheckConstraint(condition=not_to_itself(), name="link_not_to_itself"),
            models.CheckConstraint(
                condition=~Q(type=LinkType.HELD_AS) | Q(from_session__isnull=False, to_session__isnull=False),
                name="held_as_links_sessions",
            ),
            models.CheckConstraint(
                condition=~Q(type=LinkType.ALSO_REPORTED_AS)
                | Q(from_recommendation__isnull=False, to_recommendation__isnull=False),
                name="also_reported_as_links_points",
            ),
            # A plan was held once, a point reported again once: the fields these links replaced held one.
            models.UniqueConstraint(
                fields=["from_session"],
                condition=Q(type=LinkType.HELD_AS),
                name="one_held_as_per_session",
                violation_error_message=_("This planned session already has a “Held as” link: edit that one instead."),
            ),
            models.UniqueConstraint(
                fields=["from_recommendation"],
                condition=Q(type=LinkType.ALSO_REPORTED_AS),
                name="one_also_reported_as_per_point",
                violation_error_message=_("This point already has an “Also reported as” link: edit that one instead."),
            ),
            *[
                models.UniqueConstraint(
                    fields=[f"from_{a}", "type", f"to_{b}"],
                    condition=Q(**{f"from_{a}__isnull": False, f"to_{b}__isnull": False}),
                    name=f"one_link_of_a_type_{a}_to_{b}",
                    violation_error_message=_("This link is already recorded: edit that one instead."),
                )
                for a in LINK_ENDS
                for b in LINK_ENDS
            ],
        ]

    def __str__(self):
        return f"{self.source_record} — {self.get_type_display().lower()} — {self.target_record}"

    @property
    def source_record(self):
        return self.from_session or self.from_recommendation or self.from_activity

    @property
    def target_record(self):
        return self.to_session or self.to_recommendation or self.to_activity

    def end_kind(self, end):
        """The kind of record at one end ("from" or "to"): the one of LINK_ENDS whose key is set."""
        return next(kind for kind in LINK_ENDS if getattr(self, f"{end}_{kind}_id") is not None)

    def end_address(self, end):
        """The address of the record at one end ("from" or "to"), from what LINK_END_ADDRESS reads of it."""
        other = self.end_kind(end)
        if LINK_END_ADDRESS[other]:
            return getattr(self, f"{end}_{other}").get_absolute_url()
        model = self._meta.get_field(f"{end}_{other}").related_model
        return model(pk=getattr(self, f"{end}_{other}_id")).get_absolute_url()

    @property
    def inverse_label(self):
        """Lazy: read in the language of the page, or of the citation (English), that shows it."""
        return INVERSE_LABELS[self.type]

    def get_absolute_url(self):
        return self.source_record.get_absolute_url() + "#links"

    def clean(self):
        super().clean()
        # Objects, not ids: a link added with a new record names it before it is saved.
        sources = [kind for kind in LINK_ENDS if getattr(self, f"from_{kind}") is not None]
        targets = [kind for kind in LINK_ENDS if getattr(self, f"to_{kind}") is not None]
        if len(sources) != 1:
            raise ValidationError(gettext("A link goes from one record: a session, a recommendation or an activity."))
        if len(targets) != 1:
            message = gettext("Choose the record it links to: a session, a recommendation or an activity, one of them.")
            raise ValidationError({"to_session": message})
        field = f"to_{targets[0]}"
        if sources == targets and getattr(self, f"from_{sources[0]}") == getattr(self, field):
            raise ValidationError({field: gettext("A record cannot be linked to itself: choose another record.")})
        if message := self.type_error(sources[0], targets[0]):
            raise ValidationError({"type": message})
        self.refuse_duplicate(sources[0], field)

    def type_error(self, source, target):
        """What the link's type asks of the records it joins and they lack; None where they fit."""
        if self.type == LinkType.HELD_AS:
            if (source, target) != ("session", "session"):
                return gettext("“Held as” links a planned session to a session as held: choose two sessions.")
            planned, held = self.from_session, self.to_session
            if planned.roundtable.stage != Stage.PLANNED or held.roundtable.stage != Stage.HELD:
                return gettext("“Held as” links a planned session to a session as held: this pair is not one.")
            if planned.meeting_id != held.meeting_id:
                return gettext("The session it was held as must be of the same meeting.")
        if self.type == LinkType.ALSO_REPORTED_AS and (source, target) != ("recommendation", "recommendation"):
            return gettext(
                "“Also reported as” links two points, the same one as two sources report it: choose two points."
            )
        return None

    def refuse_duplicate(self, source, field):
        if getattr(self, f"from_{source}_id") is None:
            return  # a new record has no links yet
        same = Link.objects.filter(type=self.type, **{f"from_{source}": getattr(self, f"from_{source}_id")})
        same = same.exclude(pk=self.pk)
        if same.filter(**{field: getattr(self, f"{field}_id")}).exists():
            raise ValidationError({field: gettext("This link is already recorded: edit that one instead.")})
        if self.type in (LinkType.HELD_AS, LinkType.ALSO_REPORTED_AS) and same.exists():
            raise ValidationError(
                {
                    field: gettext("This record already has a “%(type)s” link: edit that one instead.")
                    % {"type": self.get_type_display()}
                }
            )
