"""A meeting's place in the Forum's three languages (lib/vocabulary.py): its name on the pages is its city
and year (Manille 2008), as the city is translated. Other events' titles are quoted from their sources and
stay as the sources give them."""

from modeltranslation.translator import TranslationOptions

from lib import vocabulary
from sessions.models import Meeting


class MeetingTranslation(TranslationOptions):
    fields = ("city", "country", "translation_source")
    empty_values = None


vocabulary.register(Meeting, MeetingTranslation)
