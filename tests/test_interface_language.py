"""On French and Spanish pages no interface text is left in English: what is English on them is marked so.

A page's text is read as a reader's browser and screen reader get it: the text of its elements and the
words of its labels (aria-label, title, alt, placeholder), outside elements marked lang="en" (quotations
from the sources, and English given for want of a translation), scripts, styles and the document's title,
which cannot mark the quoted words it names a record by. A run of interface
text in English shows itself by the English words that hold a phrase together, which neither French nor
Spanish has.
"""

import re
from html.parser import HTMLParser

import pytest

from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Event, Session

pytestmark = pytest.mark.django_db

# Words that hold an English phrase together and are no French or Spanish word.
ENGLISH = frozenset(
    "the of and with from this these those their which our is are was were has have what where when who "
    "for not all any each every other only than that there they it its into out by how many more read "
    "show shows records record".split()
)
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class ReadText(HTMLParser):
    """The runs of text a reader gets, each with the language it is marked in."""

    def __init__(self, page_language):
        super().__init__(convert_charrefs=True)
        self.stack = [(None, page_language)]
        self.runs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang") or self.stack[-1][1]
        # A document's title cannot mark the quoted words it names a record by.
        skipped = tag in ("script", "style", "title") or self.stack[-1][0] == "skip"
        for name in READ_ATTRIBUTES:
            if attrs.get(name) and not skipped:
                # A label that names a record by its quoted words gives them after a colon.
                self.runs.append((language, attrs[name].split(":")[0]))
        if tag not in VOID:
            self.stack.append(("skip" if skipped else tag, language))

    def handle_endtag(self, tag):
        if tag not in VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and self.stack[-1][0] != "skip":
            self.runs.append((self.stack[-1][1], data.strip()))


def english_runs(html, language):
    reader = ReadText(language)
    reader.feed(html)
    found = []
    for marked, text in reader.runs:
        if marked and marked.startswith("en"):
            continue
        words = set(re.findall(r"[^\W\d_]+", text.lower()))
        if words & ENGLISH:
            found.append(text[:120])
    return found


def main_pages():
    """One page of each kind the public reads."""
    session = Session.objects.select_related("meeting").get(meeting__slug="athens-2009", slug="csd-4-1")
    return [
        "/",
        "/meetings/",
        "/meetings/athens-2009/",
        session.get_absolute_url(),
        "/meetings/mauritius-2012/sessions/planned-4-2/",
        Recommendation.objects.filter(children__isnull=False).first().get_absolute_url(),
        ProposedActivity.objects.first().get_absolute_url(),
        Event.objects.first().get_absolute_url(),
        "/sessions/",
        "/recommendations/?year=2009&track=civil-society",
        "/activities/?gmg_member=IOM",
        "/activities/expertise/",
        "/gmg/",
        "/gmg/IOM/",
        "/themes/",
        "/themes/remittances-diaspora/",
        "/search/?q=migrant+workers",
        "/sources/",
        "/sources/athens-2009-csd-synthesis/",
    ]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_interface_text_is_left_in_english(client, language):
    left = {}
    for path in main_pages():
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        found = english_runs(response.content.decode(), language)
        if found:
            left[path] = found
    assert not left, "\n".join(f"{path}: {runs}" for path, runs in left.items())


def test_a_run_of_english_is_found_unless_it_is_marked():
    page = '<p>Les séances <span>of the meeting</span></p><blockquote lang="en">All of the workers</blockquote>'
    assert english_runs(page, "fr") == ["of the meeting"]
    labelled = '<a aria-label="Lien permanent : Take the first step" title="Show all of them">1</a>'
    assert english_runs(labelled, "fr") == ["Show all of them"]
