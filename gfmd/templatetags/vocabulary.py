"""Where a page shows vocabulary its editors translate (lib/vocabulary.py): whose translation it is, or that
it is shown in English for want of one.

    {% load vocabulary %}
    <h1{{ theme|english_lang:"name" }}>{{ theme.name }}</h1>
    {% translation_note theme "name" "description" %}
"""

from django import template
from django.utils.html import format_html

from lib import vocabulary

register = template.Library()


@register.inclusion_tag("includes/translation_note.html")
def translation_note(record, *fields):
    """The note beside translated vocabulary on a page in French or Spanish: "Translation by the knowledge
    base's editors", "Official translation: <source>", or "(English: not yet translated)" where any of the
    fields (`name` by default) has no translation and shows its English. Nothing in English."""
    states = {vocabulary.state(record, field) for field in fields or ("name",)}
    if vocabulary.MISSING in states:
        return {"state": vocabulary.MISSING}
    if vocabulary.TRANSLATED in states:
        return {"state": vocabulary.TRANSLATED, "source": vocabulary.source_of(record)}
    return {"state": vocabulary.ORIGINAL}


@register.filter
def english(record, field="name"):
    """A field's English whatever the page's language: the words the records, quoted in English, hold."""
    return record.english(field)


@register.filter
def english_lang(record, field="name"):
    """` lang="en"` for the element holding a field shown in English for want of a translation, so that a
    screen reader reads it as English."""
    if vocabulary.state(record, field) == vocabulary.MISSING:
        return format_html(' lang="{}"', "en")
    return ""
