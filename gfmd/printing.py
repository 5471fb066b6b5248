"""How the pages print what their editors translate (lib/vocabulary.py) and a count's noun: filters and
functions of the pages' environment (gfmd/jinja.py).

    <h1{{ theme|english_lang("name") }}>{{ theme.name }}</h1>
    {% with note = translation_note(theme, "name", "description") %}
      {% include "includes/translation_note.html" %}
    {% endwith %}
"""

from django.utils.html import format_html
from django.utils.translation import trans_real

from lib import vocabulary


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


def english(record, field="name"):
    """A field's English whatever the page's language: the words the records, quoted in English, hold."""
    return record.english(field)


def english_lang(record, field="name"):
    """` lang="en"` for the element holding a field shown in English for want of a translation, so that a
    screen reader reads it as English."""
    if vocabulary.state(record, field) == vocabulary.MISSING:
        return format_html(' lang="{}"', "en")
    return ""


def takes_plural(count):
    """Whether the active language writes `count` with a plural noun (the catalogue's Plural-Forms rule):
    French counts 0 as one."""
    rule = getattr(trans_real.catalog(), "plural", None)
    return bool(rule(count)) if rule else count != 1
