"""The vocabulary editors keep in the Forum's three languages: theme names, cities, agencies' names.

django-modeltranslation adds a column per language beside each translated field (`name_en_gb`,
`name_fr`, `name_es`), in the same table, so that lists, facets and search read them without a join;
reading `record.name` gives the active language's, or the English where it is missing. English is the
original: the default language's column, and the field's own column, which `Translated.save` keeps
English whatever language is active. What the site gives to be reused (the API, the CSVs, the data
package, the citations, the fixtures) is English: written under `english()`.

Each translated record says where its translations come from (`translation_source`, itself one column
per language): blank, its editors translated it; else the source of an official translation.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

# Which languages' value a translated field shows.
ORIGINAL, TRANSLATED, MISSING = "original", "translated", "missing"


def default_language():
    return settings.LANGUAGE_CODE


def languages():
    return [code for code, _ in settings.LANGUAGES]


def english():
    """Everything read under it is the English: what the site gives to be reused, and what it stores."""
    return translation.override(default_language())


def in_english(chunks):
    """The chunks of a streamed answer (a CSV), each made in English: a stream is read after its view has
    returned, in whatever language the thread has by then."""
    chunks = iter(chunks)
    while True:
        with english():
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def column(field, language):
    """The column holding a field in one language: `name_fr` for name in French."""
    return build_localized_fieldname(field, language)


def is_translation(field):
    """Whether a model field is a translated field's column in one language, or a field that says something
    of the other languages only (`NOT_IN_ENGLISH`): what the English exports leave out, the field's own
    column holding the English."""
    return hasattr(field, "translated_field") or field.name in getattr(field.model, "NOT_IN_ENGLISH", ())


def own_columns(queryset):
    """A queryset reading each translated field's own column, which holds the English, rather than the
    active language's (modeltranslation rewrites `values_list("name")` to it, with fallbacks)."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def columns(path):
    """A path to a translated field (`meeting__city`) with its column in every language, for a queryset's
    only(): a page reads its reader's language's, or the English, without a query per row. (A translated
    model's own queryset adds them itself; one reaching it through a relation does not.)"""
    return (path, *(column(path, language) for language in languages()))


def in_language(record, field, language):
    """A field's text in one language, without falling back: "" where it is not translated."""
    return getattr(record, column(field, language)) or ""


def all_languages(record, field):
    """A field's texts in every language, English first, each once: the words search finds it by."""
    texts = []
    for language in languages():
        text = in_language(record, field, language)
        if text and text not in texts:
            texts.append(text)
    return texts


def translations(record, field):
    """A field's texts in the languages other than English, where they differ from it: the words a record's
    search document adds for its themes and agencies, so that a reader finds it in their own language
    (remesas, OIM) while an English search finds it by its own text alone, as before the translations."""
    english = in_language(record, field, default_language())
    return [text for text in all_languages(record, field) if text != english]


def state(record, field="name", language=None):
    """How a record's field shows in a language: the ORIGINAL (English), TRANSLATED, or MISSING (shown in
    English instead)."""
    language = language or translation.get_language() or default_language()
    if language == default_language() or language not in languages():
        return ORIGINAL
    return TRANSLATED if in_language(record, field, language) else MISSING


def source_of(record, language=None):
    """The source of an official translation into a language; "" for the editors' own."""
    language = language or translation.get_language() or default_language()
    if language not in languages():
        return ""
    return in_language(record, "translation_source", language)


def register(model, options):
    """Translate a model's fields (modeltranslation's `TranslationOptions`), its history's too.

    django-simple-history made the historical model, and the list of fields it rebuilds a record from
    (a revert, a restore) and compares versions by, before modeltranslation added the columns: the
    historical model gets the columns, and reverts and comparisons read them.
    """
    historical = model.history.model
    translator.register([model, historical], options)
    added = [field for field in model._meta.fields if hasattr(field, "translated_field")]
    historical.tracked_fields = [*historical.tracked_fields, *added]
    rebuilt = historical.instance.fget

    def get_instance(entry):
        record = rebuilt(entry)
        for field in added:
            setattr(record, field.attname, getattr(entry, field.attname))
        return record

    historical.instance = property(get_instance)


class Translated(models.Model):
    """A record whose vocabulary is translated: its fields' own columns stay English."""

    translation_source = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Leave empty where the knowledge base's editors translated this record into this language; "
            "where the translation is official, its source: the organization's own site or document."
        ),
    )

    # Fields empty in English, which say something of the other languages only.
    NOT_IN_ENGLISH = ("translation_source",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # modeltranslation writes a translated field's own column from the active language's: English alone
        # belongs there, whatever the language of the editor's admin.
        with english():
            super().save(*args, **kwargs)

    def english(self, field):
        """A field's English, whatever the active language: what the site gives to be reused."""
        return in_language(self, field, default_language())
