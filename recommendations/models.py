from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from lib.citation import DRAFT, FORUM, GMG, HELD, PLANNED, PROPOSED, document_of, printed, short
from lib.models import LONG_TEXT, Sourced, Versioned
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


class Recommendation(Sourced):
    """A recommendation, follow-up action, outcome sought or key message of a meeting, or a point another
    event made that a source reports beside a meeting (the event's, not the meeting's)."""

    QUOTED_FIELDS = ("text",)

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        FOLLOW_UP = "follow-up", "Follow-up action"
        OUTCOME_SOUGHT = "outcome-sought", "Outcome sought"
        KEY_MESSAGE = "key-message", "Key message"
        FEEDBACK = "feedback", "Feedback"
        # The source names no kind for them: a kind of their own, not one of the Forum's.
        REPORTED = "reported-point", "Point reported from another event"

    meeting = models.ForeignKey(
        "gfmd_sessions.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="The GFMD meeting whose point it is. Empty for a point of another event: the event says beside "
        "which meeting its source reports it.",
    )
    roundtable = models.ForeignKey(
        "gfmd_sessions.Roundtable",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="Empty for recommendations of the meeting as a whole (cross-cutting).",
    )
    session = models.ForeignKey(
        "gfmd_sessions.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="The session it came from, where the source says.",
    )
    track = models.CharField(
        max_length=20,
        choices=Track.choices,
        default=Track.GOVERNMENT,
        blank=True,
        help_text="The track of the meeting. Empty for a point of another event, which was no track of a meeting.",
    )
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.HELD,
        blank=True,
        help_text="Planned: a plan or a preparatory draft, not an outcome of the meeting. "
        "Always planned under a planned roundtable. Empty for a point of another event.",
    )
    event = models.ForeignKey(
        "gfmd_sessions.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text="For a point of another event the source reports beside a meeting: that event. The point is "
        "then the event's: no meeting, track or stage of its own, and the kind 'point reported from another event'.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.RECOMMENDATION,
        help_text="As the source names the list it prints the point in. "
        "A point of another event is always 'point reported from another event'.",
    )
    number = models.CharField(max_length=10, blank=True, help_text="As printed: 7, or b for a sub-point.")
    number_restored = models.BooleanField(
        default=False,
        help_text="The source does not print this number or letter (lost in extraction): it is restored by "
        "counting. Say so in the source location too.",
    )
    also_reported_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_also_as",
        help_text="The same point as another source reports it, recorded separately.",
    )
    position = models.PositiveSmallIntegerField(help_text="Order within its list, from 1.")
    text = models.TextField(max_length=LONG_TEXT, help_text="The source's words, repaired but never paraphrased.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="For a lettered sub-point: the numbered recommendation it belongs to.",
    )
    group_heading = models.CharField(
        max_length=200, blank=True, help_text="The heading it is printed under: 'Rights', 'Circular migration'."
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
        return cited | {"key": key, "genre": genre, "author": author, "issued": occasion.dated, "occasion": occasion}

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
    def kind_plural(self):
        """The kind's name for several: "Outcomes sought", not "Outcome soughts"."""
        label = self.get_kind_display()
        return "Outcomes sought" if self.kind == self.Kind.OUTCOME_SOUGHT else f"{label}s"

    def clean(self):
        super().clean()
        errors = {}
        if self.event_id and self.roundtable_id:
            errors["event"] = "A point of another event belongs to no roundtable of the meeting: clear one of them."
        elif not self.event_id and not self.meeting_id:
            errors["meeting"] = "Choose the meeting whose point it is, or the other event whose point it is."
        elif not self.event_id and self.kind == self.Kind.REPORTED:
            errors["kind"] = "A point reported from another event names that event: choose it, or another kind."
        if self.also_reported_as_id and self.also_reported_as_id == self.pk:
            errors["also_reported_as"] = "A record cannot be its own twin."
        if self.roundtable_id and self.meeting_id and self.roundtable.meeting_id != self.meeting_id:
            errors["roundtable"] = f"This roundtable is not part of {self.meeting}: choose one of its roundtables."
        elif self.roundtable_id and self.roundtable.track != self.track:
            errors["track"] = f"The roundtable belongs to the {self.roundtable.get_track_display()}: choose that track."
        if self.session_id and self.session.roundtable_id != self.roundtable_id:
            errors["session"] = "This session is not part of the chosen roundtable: choose its roundtable too."
        if self.parent_id and self.parent.meeting_id != self.meeting_id:
            errors["parent"] = f"A sub-point's parent must be a recommendation of the same meeting, {self.meeting}."
        if errors:
            raise ValidationError(errors)


class GMGMemberQuerySet(models.QuerySet):
    def with_activities(self):
        """The agencies the matrix lists with expertise for at least one activity."""
        # A semi-join on the links: joining them and making the agencies distinct again sorts every link.
        links = self.model.activities.through.objects.values("gmgmember")
        return self.filter(pk__in=links)


class GMGMember(Versioned):
    """An agency of the Global Migration Group."""

    acronym = models.CharField(
        max_length=20,
        unique=True,
        # It is the agency's address (/gmg/UN-DESA/): no slash, nothing a link would have to escape.
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*\Z",
                "Use letters and digits, with single spaces or hyphens between words (UN-DESA, World Bank): "
                "the acronym is the agency's address on the site.",
            )
        ],
        help_text="As the GMG spells it: UN-DESA. Letters and digits, with spaces or hyphens between words.",
    )
    name = models.CharField(max_length=200, unique=True)
    url = models.URLField(blank=True)

    history = HistoricalRecords()

    objects = GMGMemberQuerySet.as_manager()

    class Meta:
        ordering = ["acronym"]
        verbose_name = "GMG member"

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("recommendations:gmg_member", kwargs={"acronym": self.acronym})

    def issued(self, source):
        """Whether a source document is the agency's own: its issuer names the agency, by name or as
        "(IOM)" after it, or is its acronym."""
        issuer = source.issuer
        return bool(issuer) and (self.name in issuer or issuer == self.acronym or f"({self.acronym})" in issuer)

    @property
    def search_words(self):
        """The words that name the agency in a text: its acronym or its name, each as a phrase."""
        return f'"{self.acronym}" or "{self.name}"'


class Section(Sourced):
    """A lettered section of a roundtable in the GMG matrix of proposed activities."""

    QUOTED_FIELDS = ("title",)

    roundtable = models.ForeignKey("gfmd_sessions.Roundtable", on_delete=models.CASCADE, related_name="sections")
    letter = models.CharField(max_length=1, help_text="a, b, c... as printed.")
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


class ProposedActivity(Sourced):
    """An activity the GMG proposed, with the member agencies listed with expertise."""

    QUOTED_FIELDS = ("text",)
    QUOTED_PREFETCH = ("sub_activities", "objectives")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(help_text="Order within its section, from 1.")
    text = models.TextField(max_length=LONG_TEXT, help_text="The activity as printed.")
    gmg_members = models.ManyToManyField(
        GMGMember,
        related_name="activities",
        blank=True,
        verbose_name="GMG members with expertise",
    )
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="activities")
    tags = TaggableManager(blank=True)

    history = HistoricalRecords(m2m_fields=["other_sources", "themes", "gmg_members"])

    class Meta:
        ordering = ["section__roundtable__number", "section__letter", "position"]
        verbose_name = "proposed activity"
        verbose_name_plural = "proposed activities"
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
        }


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
        verbose_name_plural = "sub-activities"


class Objective(ActivityItem):
    """One objective of a proposed activity."""

    activity = models.ForeignKey(ProposedActivity, on_delete=models.CASCADE, related_name="objectives")

    history = HistoricalRecords()


# An activity's agencies as a page's list of activities names them: their acronyms, as a list (`agencies`),
# rather than a queryset built in each activity's related manager.
AGENCIES_SHOWN = models.Prefetch("gmg_members", queryset=GMGMember.objects.only("acronym"), to_attr="agencies")
