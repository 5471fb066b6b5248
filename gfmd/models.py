from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Versioned(models.Model):
    """A content record that editors change: its saves are counted, so that a stale edit can be refused."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one at every save; an edit of an older version is refused."
    )
    loaded_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The version load_gfmd last wrote; a record at any other version was changed by an editor.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def changed_since_loaded(self):
        return self.version != self.loaded_version


class SourceDocument(Versioned):
    """A document the knowledge base cites: a primary document or a public web page."""

    class Kind(models.TextChoices):
        CONCEPT_PAPER = "concept-paper", "Concept paper"
        PRESENTATION = "presentation", "Presentation"
        MATRIX = "matrix", "Matrix of proposed activities"
        REPORT = "report", "Report"
        WEB_PAGE = "web-page", "Web page"

    slug = models.SlugField(max_length=80, unique=True, help_text="Short permanent name used in links and fixtures.")
    title = models.CharField(max_length=300, help_text="The document's title as it is printed.")
    issuer = models.CharField(max_length=200, blank=True, help_text="Who issued it: a government, the GMG, an agency.")
    date = models.DateField(null=True, blank=True, help_text="The date the document bears, if any.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True, help_text="Where the public can read it, if online.")
    description = models.TextField(blank=True, help_text="What the document is, for a reader.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})" if self.date else self.title

    def get_absolute_url(self):
        return reverse("gfmd:source", kwargs={"slug": self.slug})


class Sourced(Versioned):
    """Provenance shared by every content record: where it comes from, and where in it."""

    source = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The document this record is taken from.",
    )
    source_location = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where in the source: section, page, item number.",
    )
    other_sources = models.ManyToManyField(
        SourceDocument,
        blank=True,
        related_name="+",
        help_text="Further documents that confirm or contradict this record.",
    )
    editorial_note = models.TextField(
        blank=True,
        help_text="Shown to the public: where sources disagree or a source is wrong, and what is established.",
    )

    class Meta:
        abstract = True


class ContentRevision(models.Model):
    """A counter that goes up whenever any content changes: the key of every cached public page.

    It lives in the database, not in a process, so that every app server sees an
    editor's save at once, whatever cache backend is shared or not.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Content revision {self.number}"
