"""The theme's vocabulary in the Forum's three languages (lib/vocabulary.py): a column per language, its
history's too, so that a revert brings back every language."""

from modeltranslation.translator import TranslationOptions

from lib import vocabulary
from themes.models import Theme


class ThemeTranslation(TranslationOptions):
    fields = ("name", "description", "translation_source")
    # An empty translation is NULL, so that the unique name allows any number of themes not yet translated.
    empty_values = None


vocabulary.register(Theme, ThemeTranslation)
