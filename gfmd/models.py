from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lib.models import Versioned


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


class ContentRevision(models.Model):
    """A counter that goes up whenever any content changes: the key of every cached public page.

    It lives in the database, not in a process, so that every app server sees an
    editor's save at once, whatever cache backend is shared or not.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Content revision {self.number}"


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
