from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from lib.citation import FORUM, HELD, OTHER_EVENT, PLANNED, DateSpan, Occasion, document_of, span_of
from lib.models import LONG_TEXT, Linked, Sourced
from lib.vocabulary import Translated


class Track(models.TextChoices):
    GOVERNMENT = "government", _("Government meeting")
    CIVIL_SOCIETY = "civil-society", _("Civil Society Days")


class Stage(models.TextChoices):
    HELD = "held", _("As held")
    PLANNED = "planned", _("As planned")


# A track as a citation names it, within a sentence.
TRACK_CITED = {Track.GOVERNMENT: "government meeting", Track.CIVIL_SOCIETY: "Civil Society Days"}


def meeting_occasion(meeting, track, part="", *, kind=HELD, plan=None):
    """A record's event at a meeting: the meeting and track as held, dated as that track was held; or
    (`kind` planned, proposed or draft) the plan or draft of them, dated as `plan`, the document's date."""
    name = ", ".join(p for p in (f"GFMD {meeting.year}, {meeting.city}", TRACK_CITED.get(track, ""), part) if p)
    return Occasion(kind, name, meeting.track_span(track) if kind == HELD else plan)


class Coverage(models.TextChoices):
    """How much of a meeting's records of one kind our sources give: "none" is not zero."""

    COMPLETE = "complete", _("All in our sources")
    PARTIAL = "partial", _("Some in our sources")
    NONE = "none", _("Not in our sources")


# A meeting's ordinal as pages say it, before "Global Forum" (Forum mondial, Foro Mundial: masculine).
ORDINALS = [
    pgettext_lazy("ordinal of the Forum", "first"),
    pgettext_lazy("ordinal of the Forum", "second"),
    pgettext_lazy("ordinal of the Forum", "third"),
    pgettext_lazy("ordinal of the Forum", "fourth"),
    pgettext_lazy("ordinal of the Forum", "fifth"),
    pgettext_lazy("ordinal of the Forum", "sixth"),
    pgettext_lazy("ordinal of the Forum", "seventh"),
    pgettext_lazy("ordinal of the Forum", "eighth"),
    pgettext_lazy("ordinal of the Forum", "ninth"),
    pgettext_lazy("ordinal of the Forum", "tenth"),
]


class Meeting(Translated, Sourced):
    """One annual meeting of the Forum, from Brussels 2007 on; its city and country as each of the Forum's
    languages writes them (sessions/translation.py)."""

    ordinal = models.PositiveSmallIntegerField(unique=True, help_text=_("1 for the first GFMD, 2 for the second..."))
    year = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text=_("City and year: brussels-2007."))
    city = models.CharField(max_length=100, help_text=_("As each language writes it: Manila, Manille, Manila."))
    country = models.CharField(max_length=100)
    chair = models.CharField(
        max_length=200, blank=True, help_text=_("The chairing government, and its envoy if named.")
    )
    start_date = models.DateField(help_text=_("First day of the government meeting."))
    end_date = models.DateField(help_text=_("Last day of the government meeting."))
    civil_society_start_date = models.DateField(null=True, blank=True, help_text=_("First of the Civil Society Days."))
    civil_society_end_date = models.DateField(null=True, blank=True, help_text=_("Last of the Civil Society Days."))
    overarching_theme = models.CharField(max_length=300, blank=True, help_text=_("As the chair worded it."))
    summary = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text=_("What the sources say of the meeting as a whole.")
    )
    sessions_coverage = models.CharField(
        max_length=10,
        choices=Coverage.choices,
        default=Coverage.PARTIAL,
        help_text=_("Whether our sources give all, some or none of the sessions held."),
    )
    sessions_held = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "How many sessions were held, where a source says so, even if their titles are not in our sources."
        ),
    )
    government_roundtables_held = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "How many roundtables (in 2011, clusters) the government meeting held, where a source says so, "
            "even if some are not in our sources."
        ),
    )
    recommendations_coverage = models.CharField(
        max_length=10,
        choices=Coverage.choices,
        default=Coverage.PARTIAL,
        help_text=_("Whether our sources give all, some or none of the recommendations and outcomes of the meeting."),
    )
    coverage_note = models.TextField(
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Our words: what our sources cover of the meeting and what they do not."),
    )

    history = HistoricalRecords(m2m_fields=["other_sources"])

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="meeting_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(civil_society_end_date__gte=F("civil_society_start_date"))
                | Q(civil_society_start_date__isnull=True)
                | Q(civil_society_end_date__isnull=True),
                name="civil_society_days_end_after_they_start",
            ),
            models.CheckConstraint(condition=Q(start_date__year=F("year")), name="meeting_starts_in_its_year"),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="meeting_ordinal_positive"),
        ]

    def __str__(self):
        return gettext("GFMD %(year)s, %(city)s") % {"year": self.year, "city": self.city}

    def get_absolute_url(self):
        return reverse("sessions:meeting", kwargs={"slug": self.slug})

    def citation(self):
        dated = DateSpan(self.first_day, self.last_day)
        return {
            "key": f"gfmd{self.year}",
            "title": f"The {self.ordinal_word} {FORUM}, {self.city} {self.year}",
            "genre": "Meeting",
            "author": FORUM,
            "issued": dated,
            "occasion": Occasion(HELD, f"GFMD {self.year}, {self.city}, {self.country}", dated),
            "document": document_of(self),
        }

    def track_span(self, track):
        """The days of one track: the Civil Society Days' own, where a source gives them, or the government
        meeting's."""
        if track == Track.CIVIL_SOCIETY:
            return DateSpan(self.civil_society_start_date, self.civil_society_end_date)
        return DateSpan(self.start_date, self.end_date)

    def date_errors(self):
        """Dates out of order, each on the field to correct; the constraints hold the same rules."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = gettext(
                "The government meeting cannot end before it starts: check its first and last day."
            )
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["start_date"] = gettext(
                "The %(year)s meeting must start in %(year)s: check the year or this date."
            ) % {"year": self.year}
        if (
            self.civil_society_start_date
            and self.civil_society_end_date
            and self.civil_society_end_date < self.civil_society_start_date
        ):
            errors["civil_society_end_date"] = gettext(
                "The Civil Society Days cannot end before they start: check their first and last day."
            )
        return errors

    @property
    def ordinal_word(self):
        """In English, as its citation names it."""
        words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
        return words[self.ordinal - 1] if self.ordinal <= len(words) else f"{self.ordinal}th"

    @property
    def ordinal_shown(self):
        """The ordinal as a page in the reader's language says it: "the first Global Forum"."""
        if self.ordinal <= len(ORDINALS):
            return ORDINALS[self.ordinal - 1]
        return gettext("%(ordinal)sth") % {"ordinal": self.ordinal}

    @property
    def first_day(self):
        return min(d for d in (self.start_date, self.civil_society_start_date) if d)

    @property
    def last_day(self):
        return max(d for d in (self.end_date, self.civil_society_end_date) if d)


class RoundtableQuerySet(models.QuerySet):
    def held(self):
        """What a reader counts by default: roundtables held, not those a concept paper planned."""
        return self.filter(stage=Stage.HELD)


class Roundtable(Sourced):
    """A roundtable (or, in 2011, a thematic cluster) of a meeting, in one track."""

    QUOTED_FIELDS = ("title", "summary")

    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        CLUSTER = "cluster", _("Cluster")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roundtables")
    track = models.CharField(max_length=20, choices=Track.choices, default=Track.GOVERNMENT)
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.HELD,
        help_text=_("Planned: as a concept paper described it before the meeting."),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ROUNDTABLE)
    number = models.PositiveSmallIntegerField()
    number_assigned = models.BooleanField(
        default=False,
        help_text=_(
            "The number is the knowledge base's reading, not a source's (no source numbers this roundtable): "
            "say why in the editorial note. Pages show it in brackets."
        ),
    )
    title = models.CharField(max_length=300, blank=True, help_text=_("Leave empty where no source gives it."))
    group_heading = models.CharField(
        max_length=200, blank=True, help_text=_("A heading above several roundtables, such as 'Theme 1: ...'.")
    )
    summary = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text=_("The source's summary of the roundtable, quoted.")
    )
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="roundtables")
    tags = TaggableManager(blank=True)

    history = HistoricalRecords(m2m_fields=["other_sources", "themes"])

    objects = RoundtableQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__year", "track", "stage", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "track", "stage", "kind", "number"], name="one_roundtable_per_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="roundtable_number_positive"),
        ]

    def __str__(self):
        label = f"{self.get_kind_display()} {self.number}"
        if self.track == Track.CIVIL_SOCIETY:
            label = gettext("Civil Society Days %(roundtable)s") % {"roundtable": label.lower()}
        if self.stage == Stage.PLANNED:
            label = gettext("%(roundtable)s (planned)") % {"roundtable": label}
        return f"{self.meeting.year} {label}" + (f": {self.title}" if self.title else "")

    @property
    def label(self):
        return f"{self.get_kind_display()} {self.shown_number}"

    @classmethod
    def kind_noun(cls, kind, count):
        """The kind after a count, in lower case: "1 roundtable", "3 clusters"."""
        if kind == cls.Kind.CLUSTER:
            return ngettext("cluster", "clusters", count)
        return ngettext("roundtable", "roundtables", count)

    @property
    def shown_number(self):
        """The number as pages show it: one the knowledge base assigned is bracketed."""
        return f"[{self.number}]" if self.number_assigned else str(self.number)

    def get_absolute_url(self):
        return reverse("sessions:meeting", kwargs={"slug": self.meeting.slug}) + f"#{self.anchor}"

    @property
    def anchor(self):
        return self.anchor_of(self.track, self.stage, self.kind, self.number)

    @staticmethod
    def anchor_of(track, stage, kind, number):
        """Its place on its meeting's page, from its fields alone (the data package reads them as values)."""
        prefix = "csd-" if track == Track.CIVIL_SOCIETY else ""
        prefix += "planned-" if stage == Stage.PLANNED else ""
        return f"{prefix}{kind}-{number}"


class SessionQuerySet(models.QuerySet):
    def held(self):
        """What a reader counts by default: sessions held, not those a concept paper planned."""
        return self.filter(roundtable__stage=Stage.HELD)

    def planned(self):
        return self.filter(roundtable__stage=Stage.PLANNED)

    def of_stage(self, stages):
        return self.filter(roundtable__stage__in=stages)

    def with_held_as(self):
        """Each session with `held_as_id`: for a planned one, the session it was held as (an editors' link)."""
        link = apps.get_model(settings.LINK_MODEL)
        held_as = link.objects.filter(type="held-as", from_session=OuterRef("pk")).values("to_session")[:1]
        return self.annotate(held_as_id=Subquery(held_as))


class Session(Linked, Sourced):
    """One session of a roundtable: the page the public reads."""

    QUOTED_FIELDS = ("title", "discussion")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="sessions",
        editable=False,
        help_text=_("Copied from the roundtable so that session links are unique per meeting."),
    )
    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="sessions")
    number = models.CharField(
        max_length=10, blank=True, help_text=_("As printed: 2.1. Empty if the source gives none.")
    )
    number_assigned = models.BooleanField(
        default=False,
        help_text=_(
            "The number is the knowledge base's, not the source's (the source letters the sessions a), b)... "
            "under each roundtable): say so in the editorial note. Pages show it in brackets."
        ),
    )
    slug = models.SlugField(
        max_length=80,
        blank=True,
        help_text=_("The session's link under its meeting; made from the number when left empty."),
    )
    title = models.CharField(
        max_length=300, blank=True, help_text=_("As printed. Leave empty where the source prints none.")
    )
    discussion = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text=_("What the session discussed or was to discuss, quoted.")
    )
    co_chairs = models.CharField(max_length=300, blank=True, help_text=_("Co-chairing governments, where known."))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="sessions")
    tags = TaggableManager(blank=True)

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["other_sources", "themes"])

    class Meta:
        ordering = ["meeting__year", "roundtable__track", "roundtable__stage", "roundtable__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["roundtable", "number"],
                condition=~Q(number=""),
                name="one_session_per_number_in_roundtable",
            ),
            models.UniqueConstraint(fields=["meeting", "slug"], name="one_session_per_slug_in_meeting"),
            models.CheckConstraint(condition=~Q(slug=""), name="session_has_slug"),
        ]

    def __str__(self):
        return f"{self.meeting.year} {self.heading}"

    @property
    def heading(self):
        """Number and title as printed; a concept paper's fragment keeps some sessions without either."""
        return " ".join(part for part in (self.shown_number, self.title) if part) or gettext("Untitled session")

    @property
    def shown_number(self):
        """The number as pages show it: one the knowledge base assigned is bracketed ("[1.1]")."""
        return f"[{self.number}]" if self.number and self.number_assigned else self.number

    def derive_fields(self):
        """The meeting comes from the roundtable; an empty slug from the number."""
        if self.roundtable_id:
            self.meeting_id = self.roundtable.meeting_id
            if not self.slug:
                self.slug = self.default_slug()

    def clean_fields(self, exclude=None):
        self.derive_fields()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.roundtable_id and "." in self.number:
            belongs_to = self.number.split(".")[0]
            if belongs_to != str(self.roundtable.number):
                errors["number"] = gettext(
                    "Session %(number)s belongs to %(kind)s %(belongs_to)s, but it is in %(roundtable)s: "
                    "correct the number or the roundtable."
                ) % {
                    "number": self.number,
                    "kind": self.roundtable.get_kind_display().lower(),
                    "belongs_to": belongs_to,
                    "roundtable": self.roundtable.label.lower(),
                }
        if self.meeting_id and self.slug:
            # The constraint spans the meeting, which no form edits, so Django's own check skips it.
            clash = Session.objects.filter(meeting_id=self.meeting_id, slug=self.slug).exclude(pk=self.pk).first()
            if clash is not None:
                errors["slug"] = gettext(
                    "Another session of this meeting, %(session)s, already has the link “%(slug)s”: "
                    "give this one a different slug."
                ) % {"session": clash.heading, "slug": self.slug}
        if errors:
            raise ValidationError(errors)

    @property
    def stage(self):
        """A session is held or planned as its roundtable is."""
        return self.roundtable.stage

    @property
    def linked_title(self):
        planned = " (as planned)" if self.roundtable.stage == Stage.PLANNED else ""
        return f"GFMD {self.meeting.year}, {self.meeting.city}: session {self.heading}{planned}"

    def default_slug(self):
        prefix = "csd-" if self.roundtable.track == Track.CIVIL_SOCIETY else ""
        prefix += "planned-" if self.roundtable.stage == Stage.PLANNED else ""
        base = self.number.replace(".", "-") if self.number else slugify(self.title)[:60]
        return prefix + base

    def get_absolute_url(self):
        return reverse("sessions:session", kwargs={"meeting": self.meeting.slug, "slug": self.slug})

    def citation(self):
        """A session as held, of its meeting's track; a planned one, of the plan that describes it."""
        roundtable = self.roundtable
        number = f"Session {self.shown_number}: " if self.number else ""
        document = document_of(self)
        planned = roundtable.stage == Stage.PLANNED
        occasion = meeting_occasion(
            self.meeting, roundtable.track, roundtable.label, kind=PLANNED if planned else HELD, plan=document.dated
        )
        return {
            "key": f"gfmd{self.meeting.year}-{self.slug}",
            "title": f"{number}{self.title or 'Untitled session'}",
            "genre": "Planned session" if planned else "Session",
            "author": self.source.issuer if planned else FORUM,
            "issued": occasion.dated,
            "occasion": occasion,
            "document": document,
            "links": self.cited_links,
        }


class Milestone(Sourced):
    """A dated step around a meeting: a preparatory meeting, an assessment phase."""

    QUOTED_FIELDS = ("text",)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    when = models.CharField(max_length=100, help_text=_("The date as the source gives it: 'December 2011'."))
    text = models.TextField(max_length=LONG_TEXT)

    history = HistoricalRecords(m2m_fields=["other_sources"])

    class Meta:
        ordering = ["meeting__year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_milestone_per_position"),
            models.CheckConstraint(condition=~Q(text=""), name="milestone_has_text"),
        ]

    def __str__(self):
        return f"{self.meeting.year}, {self.when}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("sessions:meeting", kwargs={"slug": self.meeting.slug}) + "#milestones"


class Event(Sourced):
    """Another meeting, reported in a source beside a GFMD meeting: its points are its own, not the Forum's."""

    QUOTED_FIELDS = ("title", "summary")

    slug = models.SlugField(max_length=100, unique=True, help_text=_("Its link: /events/<slug>/."))
    title = models.CharField(max_length=300, help_text=_("As the source names it."))
    when = models.CharField(max_length=100, blank=True, help_text=_("The dates as the source gives them, if it does."))
    place = models.CharField(max_length=100, blank=True, help_text=_("Where, if the source says."))
    organiser = models.CharField(max_length=200, blank=True, help_text=_("Who held it, if the source says."))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("The GFMD meeting the source reports it alongside."),
    )
    summary = models.TextField(
        max_length=LONG_TEXT, blank=True, help_text=_("What the source says of the event, quoted.")
    )

    history = HistoricalRecords(m2m_fields=["other_sources"])

    class Meta:
        ordering = ["meeting__year", "title"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="event_has_title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sessions:event", kwargs={"slug": self.slug})

    @property
    def occasion(self):
        """The event as its points' citations name it: itself, with its organiser, dated as the source dates it."""
        return Occasion(
            OTHER_EVENT, self.title, span_of(self.when), self.place, self.organiser, reported_beside=str(self.meeting)
        )

    def citation(self):
        occasion = self.occasion
        return {
            "key": self.slug,
            "title": self.title,
            "genre": "Other event reported beside a meeting",
            "author": self.organiser,
            "issued": occasion.dated,
            "occasion": occasion,
            "document": document_of(self),
        }


class Passage(Sourced):
    """A passage of a source that is neither a session nor a recommendation (a format, a proposal, a
    context slide), quoted on its meeting's page or, without a meeting, on its source's page."""

    QUOTED_FIELDS = ("text",)

    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="passages",
        help_text=_("The meeting whose page shows it; empty for context shown on its source's page only."),
    )
    heading = models.CharField(
        max_length=200, blank=True, help_text=_("The heading the source prints above it, if any: 'GFMD', 'Format'.")
    )
    position = models.PositiveSmallIntegerField(help_text=_("Order among the passages of its meeting or source."))
    text = models.TextField(
        max_length=LONG_TEXT,
        help_text=_(
            "The source's words, repaired but never paraphrased. One paragraph per line; "
            "a line starting with '- ' is a bullet."
        ),
    )

    history = HistoricalRecords(m2m_fields=["other_sources"])

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="passage_has_text"),
            models.UniqueConstraint(fields=["source", "source_location"], name="one_passage_per_source_location"),
        ]

    def __str__(self):
        return f"{self.heading or self.source_location}: {self.text[:60]}"

    def get_absolute_url(self):
        if self.meeting_id:
            return reverse("sessions:meeting", kwargs={"slug": self.meeting.slug}) + "#passages"
        return reverse("gfmd:source", kwargs={"slug": self.source.slug})

    @property
    def blocks(self):
        """Paragraphs and bullet lists, in the source's order: [{"paragraph": ...} or {"bullets": [...]}]."""
        blocks = []
        for line in filter(str.strip, self.text.splitlines()):
            if line.startswith("- "):
                if not blocks or "bullets" not in blocks[-1]:
                    blocks.append({"bullets": []})
                blocks[-1]["bullets"].append(line[2:].strip())
            else:
                blocks.append({"paragraph": line.strip()})
        return blocks
