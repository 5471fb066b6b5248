from django.db import models
from django.urls import reverse


class SourceDocument(models.Model):
    """A document the knowledge base cites: a seed document or a public web page."""

    class Kind(models.TextChoices):
        CONCEPT_PAPER = "concept-paper", "Concept paper"
        PRESENTATION = "presentation", "Presentation"
        MATRIX = "matrix", "Matrix of proposed activities"
        REPORT = "report", "Report"
        WEB_PAGE = "web-page", "Web page"

    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short permanent name used in links and fixtures."
    )
    title = models.CharField(max_length=300, help_text="The document's title as it is printed.")
    issuer = models.CharField(
        max_length=200, blank=True, help_text="Who issued it: a government, the GMG, an agency."
    )
    date = models.DateField(null=True, blank=True, help_text="The date the document bears, if any.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True, help_text="Where the public can read it, if online.")
    description = models.TextField(blank=True, help_text="What the document is, for a reader.")

    class Meta:
        ordering = ["date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})" if self.date else self.title

    def get_absolute_url(self):
        return reverse("gfmd:source", kwargs={"slug": self.slug})


class Sourced(models.Model):
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
