from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from lib.citation import FORUM, GMG, short, where
from lib.models import Sourced, Versioned
from sessions.models import Stage, Track


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
        return self.filter(event__isnull=False)

    def top_level(self):
        """Numbered points, without their lettered sub-points."""
        return self.filter(parent__isnull=True)


class Recommendation(Sourced):
    """A recommendation, follow-up action, outcome sought or key message of a meeting."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        FOLLOW_UP = "follow-up", "Follow-up action"
        OUTCOME_SOUGHT = "outcome-sought", "Outcome sought"
        KEY_MESSAGE = "key-message", "Key message"
        FEEDBACK = "feedback", "Feedback"

    meeting = models.ForeignKey("gfmd_sessions.Meeting", on_delete=models.CASCADE, related_name="recommendations")
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
    track = models.CharField(max_length=20, choices=Track.choices, default=Track.GOVERNMENT)
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.HELD,
        help_text="Planned: a plan or a preparatory draft, not an outcome of the meeting. "
        "Always planned under a planned roundtable.",
    )
    event = models.ForeignKey(
        "gfmd_sessions.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text="For a point of another event the source reports beside the meeting: that event. "
        "It is then counted as the event's, never the meeting's.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
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
    text = models.TextField(help_text="The source's words, repaired but never paraphrased.")
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
        ordering = ["meeting__year", "track", "roundtable__number", "kind", "parent_id", "position"]
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
        ]

    def __str__(self):
        number = f" {self.number}" if self.number else ""
        return f"{self.meeting.year} {self.get_kind_display()}{number}: {self.text[:70]}"

    def get_absolute_url(self):
        return reverse("recommendations:recommendation", kwargs={"pk": self.pk})

    def citation(self):
        meeting = self.meeting
        number = " ".join(n for n in (self.parent.number if self.parent else "", self.number) if n)
        label = self.get_kind_display() + (f" {number}" if number else "")
        part = f", {self.roundtable.label}" if self.roundtable else ""
        return {
            "key": f"gfmd{meeting.year}-{self.kind}-{self.pk}",
            "title": f"{label}: {short(self.text)}",
            "author": FORUM,
            "container": f"GFMD {meeting.year}, {meeting.city}{part}",
            "issued": meeting.start_date,
            "source": where(self),
        }

    def derive_fields(self):
        """A planned roundtable's points are planned; a sub-point is at its parent's stage and event."""
        if self.roundtable_id and self.roundtable.stage == Stage.PLANNED:
            self.stage = Stage.PLANNED
        if self.parent_id:
            self.stage = self.parent.stage
            self.event_id = self.parent.event_id

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
        elif self.event_id and self.meeting_id and self.event.meeting_id != self.meeting_id:
            errors["event"] = f"This event is reported alongside {self.event.meeting}, not {self.meeting}."
        if self.also_reported_as_id and self.also_reported_as_id == self.pk:
            errors["also_reported_as"] = "A record cannot be its own twin."
        if self.roundtable_id and self.meeting_id and self.roundtable.meeting_id != self.meeting_id:
            errors["roundtable"] = f"This roundtable is not part of {self.meeting}: choose one of its roundtables."
        elif self.roundtable_id and self.roundtable.track != self.track:
            errors["track"] = f"The roundtable belongs to the {self.roundtable.get_track_display()}: choose that track."
        if self.session_id and self.session.roundtable_id != self.roundtable_id:
            errors["session"] = "This session is not part of the chosen roundtable: choose its roundtable too."
        if self.parent_id and self.meeting_id and self.parent.meeting_id != self.meeting_id:
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

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(help_text="Order within its section, from 1.")
    text = models.TextField(help_text="The activity as printed.")
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

    def get_absolute_url(self):
        return reverse("recommendations:activity", kwargs={"pk": self.pk})

    def citation(self):
        section = self.section
        roundtable = section.roundtable
        meeting = roundtable.meeting
        return {
            "key": f"gmg{meeting.year}-{roundtable.number}{section.letter}-{self.position}",
            "title": f"Proposed activity {roundtable.number}{section.letter}.{self.position}: {short(self.text)}",
            "author": GMG,
            "container": f"GFMD {meeting.year}, {meeting.city}, {roundtable.label}, section {section.letter}",
            "issued": self.source.date or meeting.start_date,
            "source": where(self),
        }


class ActivityItem(Versioned):
    """One of the items an activity lists in order: its objectives, its specific activities.

    Each kind declares its own link to the activity, under the name the activity reads it by.
    """

    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "position"], name="one_%(class)s_per_position"),
            models.CheckConstraint(condition=~Q(text=""), name="%(class)s_has_text"),
        ]

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
