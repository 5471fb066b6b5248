"""The interface's catalogues: each compiled .mo in the repository says what its .po says, and each
language has at least 95% of the messages translated."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("fr", "es")
# The share of messages each language must have translated: fuzzy entries and entries left as their
# English msgid count as untranslated.
REQUIRED_SHARE = 0.95


def catalogue(language, suffix):
    path = LOCALE / language / "LC_MESSAGES" / f"django.{suffix}"
    return polib.mofile(str(path)) if suffix == "mo" else polib.pofile(str(path))


def translations(entries):
    """{(context, msgid, plural): msgstr or its plural forms} of the entries a compiled catalogue holds."""
    found = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
            if any(forms):
                found[entry.msgctxt, entry.msgid, entry.msgid_plural] = forms
        elif entry.msgstr:
            found[entry.msgctxt, entry.msgid, None] = entry.msgstr
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_compiled_catalogue_matches_its_source(language):
    """A .po edited without compiling it again (compilemessages) would leave the site in its old words."""
    po, mo = catalogue(language, "po"), catalogue(language, "mo")
    assert translations(mo) == translations(po)


def translated_share(po):
    messages = [entry for entry in po if entry.msgid and not entry.obsolete]
    translated = [
        entry
        for entry in messages
        if "fuzzy" not in entry.flags
        and (
            all(form and form != entry.msgid_plural for form in entry.msgstr_plural.values())
            if entry.msgid_plural
            else entry.msgstr and entry.msgstr != entry.msgid
        )
    ]
    return len(translated) / len(messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_nearly_every_message_translated(language):
    share = translated_share(catalogue(language, "po"))
    assert share >= REQUIRED_SHARE, f"{language}: {share:.0%} of the messages translated"


def test_the_share_leaves_out_fuzzy_entries_and_entries_copied_from_english():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Search", msgstr="Rechercher"))
    po.append(polib.POEntry(msgid="Sources", msgstr="Sources"))
    po.append(polib.POEntry(msgid="Themes", msgstr="Thèmes", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Meetings", msgstr=""))
    assert translated_share(po) == 0.25


# The tail of a sentence cut in two begins with its punctuation: ", as another source reports it". A
# translation cannot reorder the halves of a sentence given apart, so each is one message, its lists and
# links passed in as values. The words that join a list's items (" or ", "and") are messages of their own.
TAIL = re.compile(r"[,;:.)]")


def test_no_message_is_the_tail_of_a_sentence_cut_in_two():
    tails = [entry.msgid for entry in catalogue("fr", "po") if not entry.obsolete and TAIL.match(entry.msgid)]
    assert not tails, tails
