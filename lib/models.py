"""Abstract models every content record inherits: versions for optimistic locking, and provenance.

They name the source document model by its label, so that this module imports no app.
"""

from django.db import models


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


class Sourced(Versioned):
    """Provenance shared by every content record: where it comes from, and where in it."""

    source = models.ForeignKey(
        "gfmd.SourceDocument",
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
        "gfmd.SourceDocument",
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
