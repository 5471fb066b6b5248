"""Meeting pages group each roundtable's points under the session they came from, with the session's label,
in the source's order; and the content mended against the seed documents (issue 22, points 1 and 6)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Recommendation
from sessions.models import Meeting, Passage, Roundtable, Session

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", response.content.decode())


def section(html, anchor):
    """The HTML of the roundtable section with this id."""
    start = html.index(f'<section class="roundtable" id="{anchor}"')
    return html[
        start : html.index('<section class="roundtable"', start + 1)
        if '<section class="roundtable"' in html[start + 1 :]
        else len(html)
    ]


def plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def sessions_in(html):
    """[(session label, [point texts' first words])] of a roundtable section, in the page's order."""
    parts = re.split(r'<section class="session" id="session-[^"]+"', html)[1:]
    found = []
    for part in parts:
        label = plain(re.search(r"<h4[^>]*>(.*?)</h4>", part).group(1)).strip()
        points = [
            plain(p).strip()
            for p in re.findall(r'class="permalink"[^>]*>.*?</a>(.*?)(?:<ol class="sub-points"|</li>)', part)
        ]
        found.append((label, points))
    return found


def test_athens_csd_roundtable_4_gives_each_sessions_recommendations_under_its_label(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        html = page(client, "/meetings/athens-2009/")
    sessions = sessions_in(section(html, "csd-roundtable-4"))
    assert [label for label, _ in sessions] == [
        "Session 4.1 Building Alliances: Business",
        "Session 4.2 The Future of the Forum",
    ]
    first, second = (points for _, points in sessions)
    assert [p[:30] for p in first] == [
        "Improve the regulatory environ",
        "Protect migrant workers by",
        "Improve the image of migrants ",
        "Share best practices across al",
    ]
    assert second[0].startswith("Regarding the Core Mission of the CSD") and len(second) == 4
    # Each session's recommendations, numbered from 1 as printed.
    rt4 = section(html, "csd-roundtable-4")
    assert rt4.count('<li value="1">') == 2 and "Recommendations of session 4.1" in rt4


def test_planned_mauritius_roundtables_keep_each_sessions_outcomes_apart(client):
    html = page(client, "/meetings/mauritius-2012/")
    rt4 = sessions_in(section(html, "planned-roundtable-4"))
    assert [label.split(" ")[1] for label, _ in rt4] == ["4.1", "4.2"]
    assert len(rt4[0][1]) == 6 and len(rt4[1][1]) == 4
    roman = re.findall(r'class="permalink"[^>]*>([ivx]+)\.', section(html, "planned-roundtable-4"))
    assert roman == ["i", "ii", "iii", "iv", "v", "vi"]
    letters = re.findall(r'class="permalink"[^>]*>([a-d])\.', section(html, "planned-roundtable-4"))
    assert letters == ["a", "b", "c", "d"]
    # Roundtable 3's four outcomes belong to the untitled session printed before 3.2, not to 3.2.
    rt3 = sessions_in(section(html, "planned-roundtable-3"))
    assert rt3[0][0] == "Untitled session" and len(rt3[0][1]) == 4
    assert rt3[1][0].startswith("Session 3.2") and rt3[1][1] == []
    assert "it appears to be the session held as" in plain(section(html, "planned-roundtable-3"))


def test_a_roundtable_whose_points_are_its_own_still_lists_its_sessions(client):
    html = page(client, "/meetings/athens-2009/")
    rt1 = section(html, "csd-roundtable-1")
    assert '<ul class="sessions">' in rt1 and '<section class="session"' not in rt1
    assert rt1.count('class="permalink"') == 11


def test_the_untitled_planned_sessions_are_held_as_1_1_and_3_1_as_their_notes_read_them():
    untitled = Session.objects.filter(meeting__slug="mauritius-2012", roundtable__stage="planned", number="")
    held = {s.pk: s.number for s in Session.objects.filter(meeting__slug="mauritius-2012")}
    held_as = {s.roundtable.number: held[s.held_as_id] for s in untitled.select_related("roundtable").with_held_as()}
    assert held_as == {1: "1.1", 3: "3.1"}
    notes = [s.editorial_note or s.roundtable.editorial_note for s in untitled]
    assert all("appears to be" in note for note in notes)


# -- Point 6: the content mended ---------------------------------------------------------------


def test_the_brussels_summary_is_the_meeting_and_ioms_background_is_on_its_source():
    brussels = Meeting.objects.get(slug="brussels-2007")
    assert brussels.summary.startswith("Outcomes: First Global Forum Brussels, 9-11 July 2007")
    assert "GCIM" not in brussels.summary and "High Level Dialogue" not in brussels.summary
    assert "not about the Brussels meeting" in brussels.editorial_note
    background = Passage.objects.filter(source__slug="iom-labour-migration-2008", meeting=None)
    headings = list(background.order_by("position").values_list("heading", flat=True))
    assert headings[:4] == [
        "Global Commission on International Migration",
        "Global Commission on International Migration",
        "High Level Dialogue (HLD)",
        "Global Forum on Migration and Development (GFMD) Nature and structures",
    ]


def test_athens_roundtable_4_has_no_summary_repeating_its_sessions(client):
    roundtable = Roundtable.objects.get(meeting__slug="athens-2009", track="civil-society", number=4)
    assert roundtable.summary == "" and "shown here under their sessions" in roundtable.editorial_note
    html = page(client, "/meetings/athens-2009/")
    assert html.count("The second session that was held in parallel explored the Future of the Forum") == 1


def test_the_expert_meetings_last_heading_is_the_one_seed_004_prints():
    seed = open_seed("004_")
    assert "Expert Meeting LABOUR MIGRATION, PROTECTION AND DEVELOPMENT" in seed
    points = Recommendation.objects.filter(pk__in=range(143, 151))
    assert points.count() == 8
    assert set(points.values_list("group_heading", flat=True)) == {
        "Expert Meeting – Labour migration, protection and development"
    }


def test_no_editorial_note_quotes_a_wording_the_seeds_do_not_print():
    roundtable = Roundtable.objects.get(meeting__slug="brussels-2007", number=1)
    assert "labour (labor)" not in roundtable.editorial_note
    assert "Human capital development and labor mobility: maximizing opportunities and minimizing risks" in (
        open_seed("001_")
    )
    assert '"Human capital development and labor mobility: maximizing opportunities and minimizing risks"' in (
        roundtable.editorial_note.replace("\n", " ")
    )


def test_recommendation_2_of_athens_session_4_1_flags_all_its_letters_as_restored(client):
    parent = Recommendation.objects.get(pk=38)
    children = list(parent.children.order_by("position"))
    assert [(c.number, c.number_restored) for c in children] == [(n, True) for n in "abcde"]
    assert all("restored by counting" in c.source_location for c in children)
    assert "gives the letters to the points" in children[0].editorial_note
    assert '<span class="restored" title="Not printed in the source: restored by counting">[a]</span>' in page(
        client, "/meetings/athens-2009/"
    )


def test_numbers_the_knowledge_base_assigned_are_marked_in_pages_api_and_data_package(client):
    manila = Session.objects.filter(meeting__slug="manila-2008")
    assert manila.count() == 7 and all(s.number_assigned for s in manila)
    assert "[1.1] Protecting the rights of the migrants" in page(client, "/meetings/manila-2008/")
    session_page = page(client, "/meetings/manila-2008/sessions/1-1/")
    assert "A number in brackets is the knowledge base's, not the source's" in session_page
    results = client.get("/api/sessions/", {"meeting": "manila-2008"}).json()["results"]
    assert {(r["number"], r["number_assigned"]) for r in results} >= {("1.1", True), ("3.3", True)}
    athens = client.get("/api/sessions/", {"meeting": "athens-2009", "track": "government"}).json()["results"]
    assert [r["roundtable_number_assigned"] for r in athens] == [True]
    assert "Roundtable [1]" in page(client, "/meetings/athens-2009/")
    csd = client.get("/api/sessions/", {"meeting": "athens-2009", "track": "civil-society"}).json()["results"]
    assert not any(r["number_assigned"] for r in csd)
    descriptor = client.get("/data/datapackage.json").json()
    sessions = next(r for r in descriptor["resources"] if r["name"] == "sessions")
    assert "number_assigned" in [f["name"] for f in sessions["schema"]["fields"]]


def test_the_concept_papers_sentence_on_supporting_structures_is_quoted():
    sentence = (
        "In line with the GFMD Operating Modalities, the Chair's preparatory work will be assisted by the "
        "following GFMD supporting structures and partners:"
    )
    assert sentence in open_seed("000_")
    passage = Passage.objects.get(source__slug="mauritius-2012-concept-paper", heading="6. GFMD Supporting Structures")
    assert passage.text == sentence and passage.meeting.slug == "mauritius-2012"


def open_seed(prefix):
    # The seeds live beside the project's checkouts, not in them.
    folders = (parent / "shared" / "seeds" for parent in Path(__file__).resolve().parents)
    folder = next((f for f in folders if f.exists()), None)
    if folder is None:
        pytest.skip("the seed documents are not beside this checkout")
    return " ".join(next(folder.glob(f"{prefix}*.txt")).read_text().split())


def test_check_content_flags_an_assigned_number_no_note_explains(session):
    session.number_assigned = True
    session.editorial_note = ""
    session.save()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_content", stdout=out)
    assert "its number is the knowledge base's, but no editorial note says why." in out.getvalue()
