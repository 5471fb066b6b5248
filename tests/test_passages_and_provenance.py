"""The seed passages that are neither sessions nor recommendations, on the pages a reader looks for
them; and provenance that says exactly what the source prints."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.models import Recommendation
from sessions.models import Coverage, Passage, Roundtable

pytestmark = pytest.mark.django_db

# (page, heading, a phrase of the text, source slug, source location)
PASSAGES = [
    (
        "/meetings/brussels-2007/",
        "GFMD",
        "Follow-up to 2006 UNGA High Level Dialogue on International Migration and Development",
        "gfmd-i-follow-up-slides",
        "Slide 'GFMD'",
    ),
    (
        "/meetings/brussels-2007/",
        "Brussels: 9-11 July 2007",
        "Specific Actions per Roundtable",
        "gfmd-i-follow-up-slides",
        "Slide 'Brussels: 9-11 July 2007', Format",
    ),
    (
        "/meetings/brussels-2007/",
        'Proposal of UN Global Migration Group (GMG) on "International Partnership on Migration and Development"',
        "Presented to GFMD Steering Group",
        "gfmd-i-follow-up-slides",
        "Slide 'Proposal of UN Global Migration Group (GMG)', after the slides 'GFMD I Follow-Up'",
    ),
    (
        "/meetings/manila-2008/",
        "Manila: October 2008",
        "Civil Society Day or 2 Days",
        "gfmd-i-follow-up-slides",
        "Slide 'Manila: October 2008'",
    ),
    (
        "/meetings/mauritius-2012/",
        "5. GFMD Assessment - Phase II",
        "the assessment will be concluded by the end of 2012",
        "mauritius-2012-concept-paper",
        "Section 5 'GFMD Assessment - Phase II', paragraph 1",
    ),
    (
        "/meetings/mauritius-2012/",
        "5. GFMD Assessment - Phase II",
        "Phase II will be dedicated to a political and strategic discussion",
        "mauritius-2012-concept-paper",
        "Section 5 'GFMD Assessment - Phase II', paragraph 2, second sentence",
    ),
    (
        "/meetings/mauritius-2012/",
        "5. GFMD Assessment - Phase II",
        "the Work Plan for the Assessment Team in 2012 adopted at the 2011 Special Session",
        "mauritius-2012-concept-paper",
        "Section 5 'GFMD Assessment - Phase II', paragraph 3",
    ),
    (
        "/meetings/mauritius-2012/",
        "Footnote 7",
        "The adopted Work Plan is attached in Annex I.",
        "mauritius-2012-concept-paper",
        "Footnote 7",
    ),
    (
        "/meetings/mauritius-2012/",
        "Footnote 8",
        "would be presented to the 2nd UN High Level Dialogue in New York",
        "mauritius-2012-concept-paper",
        "Footnote 8",
    ),
    (
        "/meetings/mauritius-2012/",
        "",
        "they may be showcased on the GFMD Platform for Partnerships",
        "mauritius-2012-concept-paper",
        "Closing page, paragraph continued from a page not in the fragment, second sentence",
    ),
    (
        "/meetings/mauritius-2012/",
        "",
        "The Chair will encourage civil society and governments to explore all avenues",
        "mauritius-2012-concept-paper",
        "Closing page, last paragraph before the date",
    ),
    (
        "/sources/iom-labour-migration-2008/",
        "Global Commission on International Migration",
        "Need for an Interagency Global Migration Facility?",
        "iom-labour-migration-2008",
        "Slide 'Global Commission on International Migration' (second of two)",
    ),
    (
        "/sources/iom-labour-migration-2008/",
        "GATS Mode 4",
        "Entry for specific purpose (not in labour market)",
        "iom-labour-migration-2008",
        "Slide 'GATS Mode 4'",
    ),
]


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize(("url", "heading", "phrase", "source", "location"), PASSAGES)
def test_each_missing_passage_is_on_its_page_with_its_source_location(client, url, heading, phrase, source, location):
    passage = Passage.objects.get(source__slug=source, source_location=location)
    assert passage.heading == heading
    assert phrase in " ".join(passage.text.split())
    page = page_text(client, url)
    # A source's page gives its whole text first (the reader), then the passages with their places.
    start = page.index(phrase, max(0, page.find('id="passages"')))
    after = page[start : start + 2500]
    assert f'{passage.source.title}</a>, <span lang="en">{location}</span>.' in after
    if heading:
        assert f"<h3>{heading}</h3>" in page[:start]


def test_the_passages_are_quoted_from_the_seeds_word_for_word():
    # Each passage's words, bullets aside, appear in its seed in the same order.
    seeds = {
        "gfmd-i-follow-up-slides": "001",
        "mauritius-2012-concept-paper": "000",
        "iom-labour-migration-2008": "004",
    }
    # The seeds live beside the project's checkouts, not in them.
    folders = (parent / "shared" / "seeds" for parent in Path(__file__).resolve().parents)
    folder = next((f for f in folders if f.exists()), None)
    if folder is None:
        pytest.skip("the seed documents are not beside this checkout")
    texts = {slug: " ".join(next(folder.glob(f"{n}_*.txt")).read_text().split()) for slug, n in seeds.items()}
    repaired = {"2nd UN High Level Dialogue": "2 UN High Level Dialogue", "The Annex:": "The Annex :"}
    for passage in Passage.objects.all():
        for block in passage.blocks:
            for line in block.get("bullets") or [block["paragraph"]]:
                for ours, printed in repaired.items():
                    line = line.replace(ours, printed)
                assert " ".join(line.split()).lstrip("- ") in texts[passage.source.slug], line


def test_the_gmg_proposal_is_shown_after_the_follow_up_actions(client):
    page = page_text(client, "/meetings/brussels-2007/")
    assert page.index("Workshop on Circular Migration") < page.index("International Partnership on Migration")


def test_the_source_page_lists_the_passages_it_gives(client, django_assert_max_num_queries):
    # The page also lists the records citing the source: one query for their counts, one per kind shown.
    with django_assert_max_num_queries(16):
        page = page_text(client, "/sources/iom-labour-migration-2008/")
    assert "Passages quoted from it" in page and "The GCIM report highlighted:" in page


# -- restored numbers -----------------------------------------------------------


def test_twenty_three_restored_numbers_are_marked_in_their_source_location():
    restored = Recommendation.objects.filter(number_restored=True, meeting__slug="athens-2009")
    assert restored.count() == 23
    assert all("restored by counting" in r.source_location for r in restored)
    numbers = {
        (r.roundtable.number, r.parent.number if r.parent else None, r.number)
        for r in restored.select_related("roundtable", "parent")
    }
    assert {(1, None, n) for n in "456789"} <= numbers
    assert {(2, None, n) for n in "678"} <= numbers
    assert {(3, None, n) for n in "234567"} <= numbers
    # Roundtable 4's recommendation 2: the synthesis prints "a.", "b." and "C." on lines of their own after
    # the five points, and no letter for the last two.
    assert {(4, "2", "a"), (4, "2", "b"), (4, "2", "c")} <= numbers
    assert {(4, "2", "d"), (4, "2", "e"), (4, "4", "b"), (4, "4", "c"), (4, "4", "d")} <= numbers
    printed = Recommendation.objects.filter(meeting__slug="athens-2009", roundtable__number=1, number="10").get()
    assert not printed.number_restored


def test_a_restored_number_is_bracketed_and_explained_on_the_page(client):
    point = Recommendation.objects.get(meeting__slug="athens-2009", roundtable__number=1, number="4", parent=None)
    page = page_text(client, f"/recommendations/{point.pk}/")
    assert "[4]" in page and "it is restored by counting" in page
    meeting = page_text(client, "/meetings/athens-2009/")
    assert 'title="Not printed in the source: restored by counting">[4]</span>' in meeting


def test_check_content_flags_a_restored_number_its_location_does_not_mention(recommendation):
    recommendation.number_restored = True
    recommendation.source_location = "Roundtable 1, recommendation 1"
    recommendation.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_content", stdout=out)
    assert "its number is restored, but its source location does not say so." in out.getvalue()


def test_check_content_flags_a_meeting_said_to_have_no_sessions_in_our_sources_that_holds_some(session):
    session.meeting.sessions_coverage = Coverage.NONE
    session.meeting.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_content", stdout=out)
    assert "says its sessions are not in our sources, but holds 1 held sessions." in out.getvalue()


# -- wrong source, twins ------------------------------------------------------


def test_athens_government_roundtable_1_is_not_sourced_to_the_civil_society_synthesis(client):
    roundtable = Roundtable.objects.get(meeting__slug="athens-2009", track="government", number=1)
    assert roundtable.source.slug == "icmc-mexico-presidency"
    assert "inferred" in roundtable.source_location and "inferred" in roundtable.editorial_note
    page = page_text(client, "/meetings/athens-2009/")
    assert "No source we hold names the government meeting's Roundtable 1" in page


def test_the_two_reports_of_the_circular_migration_workshop_name_each_other(client):
    follow_up = Recommendation.objects.get(meeting__slug="brussels-2007", text="Workshop on Circular Migration")
    recommendation = Recommendation.objects.get(text="Organize a workshop on circular migration")
    assert Recommendation.objects.with_also_reported_as().get(pk=follow_up.pk).also_reported_as_id == recommendation.pk
    page = page_text(client, f"/recommendations/{follow_up.pk}/")
    assert (
        f'<strong>Also reported as:</strong> <a href="/recommendations/{recommendation.pk}/" lang="en">GFMD 2007, '
        "Brussels: recommendation, “Organize a workshop on circular migration”</a> "
        '<span class="meta" lang="en">(Current Priorities' in page
    )
    assert "Organize a workshop on circular migration</blockquote>" in page
    page = page_text(client, f"/recommendations/{recommendation.pk}/")
    assert (
        f'<strong>Also reported as:</strong> <a href="/recommendations/{follow_up.pk}/" lang="en">GFMD 2007, '
        "Brussels: follow-up action, “Workshop on Circular Migration”</a>" in page
    )
