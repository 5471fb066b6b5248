"""A GMG member's name and abbreviation in the Forum's three languages (lib/vocabulary.py). Its acronym is
not translated: it is the agency's address (/gmg/IOM/) and filter value in every language."""

from modeltranslation.translator import TranslationOptions

from lib import vocabulary
from recommendations.models import GMGMember


class GMGMemberTranslation(TranslationOptions):
    fields = ("name", "abbreviation", "translation_source")
    empty_values = None


vocabulary.register(GMGMember, GMGMemberTranslation)
