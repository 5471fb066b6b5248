from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib import search
from lib.citation import PUBLISHER, DateSpan
from lib.models import LONG_TEXT, Versioned


class SourceDocument(Versioned):
    """A document the knowledge base cites: a primary document or a public web page."""

    class Kind(models.TextChoices):
        CONCEPT_PAPER = "concept-paper", _("Concept paper")
        PRESENTATION = "presentation", _("Presentation")
        MATRIX = "matrix", _("Matrix of proposed activities")
        REPORT = "report", _("Report")
        WEB_PAGE = "web-page", _("Web page")

    slug = models.SlugField(max_length=80, unique=True, help_text="Short permanent name used in links and fixtures.")
    title = models.CharField(max_length=300, help_text="The document's title as it is printed.")
    issuer = models.CharField(max_length=200, blank=True, help_text="Who issued it: a government, the GMG, an agency.")
    date = models.DateField(null=True, blank=True, help_text="The date the document bears, if any.")
    date_supplied = models.CharField(
        max_length=60,
        blank=True,
        help_text="Only for a document that bears no date: when its content shows it was written ('late 2007'). "
        "Cited in brackets after 'undated', never as its date.",
    )
    place = models.CharField(max_length=100, blank=True, help_text="The place the document bears ('New York'), if any.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True, help_text="Where the public can read it, if online.")
    description = models.TextField(max_length=LONG_TEXT, blank=True, help_text="What the document is, for a reader.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})" if self.date else self.title

    def get_absolute_url(self):
        return reverse("gfmd:source", kwargs={"slug": self.slug})

    def citation(self):
        """The document cited as itself: its issuer publishes it, where and when it says. Without an issuer,
        the knowledge base is the publisher of the text it stores."""
        return {
            "key": self.slug,
            "title": self.title,
            "genre": self.get_kind_display(),
            "author": self.issuer,
            "issued": DateSpan(self.date, self.date, self.date_supplied),
            "publisher": self.issuer or PUBLISHER,
            "place": self.place,
            "online": self.url,
        }


class ContentRevision(models.Model):
    """A counter that goes up whenever any content changes: the key of every cached public page.

    It lives in the database, not in a process, so that every app server sees an
    editor's save at once, whatever cache backend is shared or not.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Content revision {self.number}"


class SearchDocument(models.Model):
    """One searchable record or entity, as the site search and the lists' search box read it.

    Derived data, written only by lib.search from the records themselves (by
    the write path, `lib.caching.content_changed`, and by `manage.py
    rebuild_search_index`); never edited. On
    PostgreSQL `vector` holds the weighted document and carries a GIN index,
    with `kind` (migration 0015); on SQLite the same columns are in the FTS5 table
    gfmd_search_fts.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    url = models.CharField(max_length=300)
    label = models.CharField(max_length=400, help_text="What a result is called.")
    names = models.TextField(blank=True, help_text="What names an entity: acronym, name, city, country, year.")
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    meeting = models.CharField(max_length=80, blank=True, help_text="The meeting's slug.")
    meeting_label = models.CharField(max_length=200, blank=True)
    track = models.CharField(max_length=20, blank=True)
    roundtable = models.CharField(max_length=60, blank=True, help_text="Roundtable 2, Cluster 1.")
    record_kind = models.CharField(max_length=60, blank=True, help_text="Recommendation, Key message...")
    stage = models.CharField(max_length=10, default="held")
    event = models.CharField(max_length=200, blank=True, help_text="The other event a record belongs to, if any.")
    wording = models.TextField(blank=True, help_text="A record's own words, without tags or notes: lib.related's text.")
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+")
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_record")]
        indexes = [
            # The search's facet index reads every document's facets in id order (lib/facet_index.py), the first
            # request after each edit: from this index, rather than through rows that hold the texts too.
            models.Index(
                fields=["id", "kind", "year", "meeting", "track", "record_kind", "stage", "event"],
                name="search_document_facets",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.label}"

    def get_absolute_url(self):
        return self.url

    @property
    def type_label(self):
        kind = search.KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def kind_label(self):
        """What the result is: its kind of record where it has one ("Follow-up action"), else its type."""
        return search.record_kind_label(self.record_kind) if self.record_kind else self.type_label

    @property
    def track_label(self):
        from sessions.models import Track

        # Track(value) is a lookup, where Track.choices builds the list of choices again.
        try:
            return str(Track(self.track).label)
        except ValueError:
            return self.track

    @property
    def snippet(self):
        """The HTML-safe excerpt around the matches, for a document ranked by lib.search.ranked."""
        return search.snippet(self.body, getattr(self, "search_query", ""))


class RelatedRecord(models.Model):
    """A record related to another by their wording, as lib.related computes it: derived data, never edited.

    Records are named as their search documents are, by kind and id, as documents are rewritten with new ids.
    A record keeps more than a page shows (lib.related.KEPT), so that one leaving a list leaves enough.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    rank = models.PositiveSmallIntegerField()
    related_kind = models.CharField(max_length=20)
    related_object_id = models.PositiveIntegerField()
    score = models.FloatField(help_text="The cosine of their TF-IDF vectors, from 0 to 1.")
    terms = models.CharField(max_length=300, help_text="The words they share that weigh most, comma-separated.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "rank"], name="one_related_per_rank")]
        # The lists a changed record is in, which its save rewrites.
        indexes = [models.Index(fields=["related_kind", "related_object_id"], name="related_record_target")]

    def __str__(self):
        return f"{self.kind} {self.object_id} #{self.rank}: {self.related_kind} {self.related_object_id}"


class WordingVector(models.Model):
    """A record's words weighed by TF-IDF, as the last rebuild's vocabulary weighs them: what a save compares
    the changed record with, without reading every record's text again."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    place = models.CharField(max_length=300, help_text="Its meeting and track, or its other event.")
    weights = models.BinaryField(help_text="(index of the term in the vocabulary, weight) pairs: lib.wording.PAIR.")
    floor = models.FloatField(default=0, help_text="The lowest score its list keeps; 0 while the list is not full.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_wording_vector_per_record")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class WordingVocabulary(models.Model):
    """The terms of the last rebuild of the related records, with their inverse document frequency: one row."""

    terms = models.JSONField(help_text="[[stem, idf, the word shown for it], ...], in the vectors' order.")
    records = models.PositiveIntegerField(help_text="How many records it was built from.")

    class Meta:
        verbose_name_plural = "wording vocabularies"

    def __str__(self):
        return f"Vocabulary of {len(self.terms)} terms from {self.records} records"


class TagSnapshot(models.Model):
    """The tags a content record had at one of its versions, so that a revert or a recovery restores them.

    django-simple-history keeps fields and many-to-many links, but not django-taggit's generic tags.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    names = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "version"], name="one_tag_snapshot_per_version"
            )
        ]

    def __str__(self):
        return f"Tags of {self.content_type.model} {self.object_id} at version {self.version}"


class SourceText(models.Model):
    """The whole text the knowledge base holds of a primary document: its extraction, from
    fixtures/texts/<slug>.txt, damage and all, without the lists of the website that hosted it.

    Loaded by load_gfmd with the fixtures, read by the source's reader and by the anchoring of the records
    quoting it (`lib.anchoring`). Kept apart from SourceDocument so that the small table of sources every
    page reads does not carry the texts.
    """

    source = models.OneToOneField(SourceDocument, primary_key=True, on_delete=models.CASCADE, related_name="stored")
    text = models.TextField()

    def __str__(self):
        return f"Text of {self.source_id}: {len(self.text)} characters"


class Anchor(models.Model):
    """One span of a source's stored text that a record's quoted field is read from.

    Derived data, written only by `lib.anchoring` from the records and the stored texts (by the write
    path, `lib.caching.content_changed`); never edited. `start` and `end` are the W3C
    TextPositionSelector, `exact`, `prefix` and `suffix` the TextQuoteSelector. A field read across a
    matrix's columns has one anchor per piece, numbered by `piece`.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="anchors")
    field = models.CharField(max_length=40, help_text="The record's quoted field: text, title, objective 2.")
    piece = models.PositiveSmallIntegerField(default=0)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    repairs = models.TextField(blank=True, help_text="What the record's text repairs of the extraction.")
    url = models.CharField(max_length=300, help_text="The record's page.")
    label = models.CharField(max_length=300, help_text="What the record is called.")
    fragment = models.CharField(
        max_length=80, help_text="The id of the reader's element holding the span: the record's first is its own."
    )

    class Meta:
        ordering = ["source", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["source", "start"], name="anchor_source_start"),
            models.Index(fields=["content_type", "object_id"], name="anchor_record"),
        ]

    def __str__(self):
        return f"{self.label} ({self.field}): {self.start}-{self.end}"


class UnrecordedText(models.Model):
    """A stretch of a source's stored text that no record quotes, as its reader marks it.

    Derived data, written only by `lib.anchoring` with the anchors of the source's records; searchable
    (gfmd/search_documents.py), so that a word found there links into the reader at that stretch, while a
    word inside a record's span is found as the record.
    """

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["source", "start"]

    def __str__(self):
        return f"{self.source_id} {self.start}-{self.end}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("gfmd:source", kwargs={"slug": self.source.slug}) + f"#{self.fragment}"

    @property
    def fragment(self):
        """The id of the reader's element holding it."""
        return f"text-{self.start}"
