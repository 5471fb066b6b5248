"""Abstract models every content record inherits: versions for optimistic locking, and provenance.

The source documents they cite are the model settings.SOURCE_DOCUMENT_MODEL names, so that this module
imports no app.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.spreadsheet import refuse_formula

# The longest text of the content (a meeting's summary, 2,012 characters) five times over: room for any
# passage a source prints, while a paste of a whole document is refused on the form rather than stored.
LONG_TEXT = 10_000


def configured_model(setting):
    """The model a setting names by its label ("SOURCE_DOCUMENT_MODEL"), as get_user_model() reads
    AUTH_USER_MODEL: how lib/ reaches the project's own models without importing an app."""
    return apps.get_model(getattr(settings, setting))


# Each field's choice labels as text, built once a language: Django builds the field's dict again at every
# get_FOO_display() call, and translates the label again, and a list page makes a hundred and fifty of them.
_choice_labels = {}


class Versioned(models.Model):
    """A content record that editors change: its saves are counted, so that a stale edit can be refused."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Goes up by one at every save; an edit of an older version is refused.")
    )
    loaded_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The version load_gfmd last wrote; a record at any other version was changed by an editor."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """Every text a record keeps reaches the data package's CSVs as it is, so none may run as a formula."""
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            if field.name in errors or field.name in (exclude or ()):
                continue
            try:
                refuse_formula(field.value_from_object(self))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def _get_FIELD_display(self, field):
        key = (field, get_language())
        labels = _choice_labels.get(key)
        if labels is None:
            labels = _choice_labels[key] = {
                value: force_str(label) for value, label in make_hashable(field.flatchoices)
            }
        value = make_hashable(getattr(self, field.attname))
        return labels[value] if value in labels else force_str(value, strings_only=True)

    @property
    def changed_since_loaded(self):
        return self.version != self.loaded_version


class Linked:
    """A record editors may link to others (the model settings.LINK_MODEL names): its page and its citation
    show its links both ways, read once for both."""

    @cached_property
    def editors_links(self):
        """[LinkShown] from and to this record, in the order of their types."""
        return configured_model("LINK_MODEL")._default_manager.of_record(self)

    @property
    def cited_links(self):
        """The links as a citation's notes name them: "Restates: <record>"."""
        return tuple(f"{shown.label}: {shown.record.linked_title}" for shown in self.editors_links)

    @property
    def linked_title(self):
        """How another record's links name this one."""
        return str(self)

    @property
    def link_words(self):
        """The notes and quotes of its links both ways, which its page shows: words its search document holds.
        Read from `links_out` and `links_in`, which a search document's queryset prefetches."""
        links = [*self.links_out.all(), *self.links_in.all()]
        return "\n".join(text for link in links for text in (link.note, link.quote) if text)


def attach_links(records):
    """Give each record of a list's page its links by editors both ways, as the API gives them
    (`listed_links`), in one query for the page."""
    configured_model("LINK_MODEL")._default_manager.attach_listed(records)


# What a search document reads of a linked record's links.
LINK_WORDS = ("links_out", "links_in")


class Sourced(Versioned):
    """Provenance shared by every content record: where it comes from, and where in it."""

    source = models.ForeignKey(
        settings.SOURCE_DOCUMENT_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The document this record is taken from."),
    )
    source_location = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Where in the source: section, page, item number."),
    )
    other_sources = models.ManyToManyField(
        settings.SOURCE_DOCUMENT_MODEL,
        blank=True,
        related_name="+",
        help_text=_("Further documents that confirm or contradict this record."),
    )
    editorial_note = models.TextField(
        blank=True,
        max_length=LONG_TEXT,
        help_text=_("Shown to the public: where sources disagree or a source is wrong, and what is established."),
    )

    # The fields holding the source's words, which the reader anchors in its stored text (lib/anchoring.py).
    QUOTED_FIELDS = ()
    # What quoted_texts() reads beyond the record's own fields, fetched with it.
    QUOTED_PREFETCH = ()

    class Meta:
        abstract = True

    def quoted_texts(self):
        """[(field, text)] of what the record quotes from its source, in its order."""
        return [(field, getattr(self, field)) for field in self.QUOTED_FIELDS]

    @property
    def quotes_its_source(self):
        """Whether it holds any of its source's words, so that its source's reader shows where."""
        return any(getattr(self, field).strip() for field in self.QUOTED_FIELDS)

    @property
    def reader_fragment(self):
        """The id of the element of its source's reader that holds the record's first quoted span."""
        return f"{self._meta.model_name}-{self.pk}"
