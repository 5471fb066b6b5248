"""Every total names what it counts and says when our sources give only part of it; meetings our sources
do not cover stay in the facets, "not in our sources", never 0 (issue 22, points 1 and 2)."""

import re

import pytest

from lib.listing import top_values
from recommendations.models import Link, Recommendation
from sessions.models import Meeting

pytestmark = pytest.mark.django_db


def words(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(" ;", ";")


def rows(client):
    """{year: the words of its /meetings/ row}."""
    response = client.get("/meetings/")
    assert response.status_code == 200
    found = {}
    for html in re.findall(r"<tr>.*?</tr>", response.content.decode(), re.S)[1:]:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ;", ";")
        found[int(re.search(r"GFMD (\d{4})", text).group(1))] = text
    return found


def test_the_home_page_says_what_its_totals_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = words(client, "/")
    # Before: "28 sessions held" and "104 recommendations, key messages and outcomes".
    assert "28 sessions in our sources at least 40 were held" in page
    assert (
        "104 points of the meetings as held, in our sources "
        "93 recommendations (39 of them lettered sub-points) and 11 follow-up actions; "
        "3 of the follow-up actions restate a point another source reports, both counted"
    ) in page
    assert "key messages and outcomes" not in page
    # 40: Brussels' 12 sessions held (none in our sources) and the 28 of the other meetings in our sources.
    assert Meeting.objects.get(slug="brussels-2007").sessions_held == 12


def test_the_meetings_index_counts_roundtables_and_clusters_apart_per_track(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        row = rows(client)
    assert "Government meeting: 2 clusters in our sources; 3 held" in row[2011]
    athens = row[2009]
    assert "Civil Society Days: 4 roundtables" in athens
    assert "Government meeting: 2 roundtables (1 inferred: no source numbers it)" in athens
    assert "Civil Society Days: 75 recommendations of GFMD 2009 (39 of them lettered sub-points)" in athens
    brussels = row[2007]
    assert "Government meeting: 3 roundtables" in brussels and "12 held" in brussels
    assert "18 recommendations of GFMD 2007" in brussels and "11 follow-up actions of GFMD 2007" in brussels
    assert "3 of the follow-up actions restate a point another source reports: both are counted" in brussels
    assert "Not in our sources" in row[2011]


def test_brussels_follow_up_actions_that_restate_ioms_recommendations_are_marked_both_ways(client):
    links = Link.objects.filter(type="also-reported-as", from_recommendation__meeting__slug="brussels-2007")
    twins = {(link.from_recommendation.text, link.to_recommendation.text) for link in links}
    assert twins == {
        ("Matrix of Good Practices Health Sector", "Establish a matrix of good practices"),
        (
            "Feasibility Study Worker Financial Services",
            "Undertake a feasibility study on financial intermediation service",
        ),
        ("Workshop on Circular Migration", "Organize a workshop on circular migration"),
    }
    # Each reading that is the knowledge base's own says so.
    for pk in (94, 96):
        assert "The knowledge base reads this follow-up action" in Recommendation.objects.get(pk=pk).editorial_note
    page = words(client, "/meetings/brussels-2007/")
    assert page.count("as another source reports it: both are counted") == 6
    matrix = Recommendation.objects.get(text="Establish a matrix of good practices")
    detail = words(client, f"/recommendations/{matrix.pk}/")
    assert "Also reported as" in detail and "Matrix of Good Practices Health Sector" in detail


def test_list_facets_keep_meetings_our_sources_do_not_cover(client):
    facets = client.get("/api/sessions/").json()["facets"]
    meetings = {value["value"]: value for value in facets["meeting"]}
    assert meetings["brussels-2007"] == {
        "value": "brussels-2007",
        "label": "Brussels 2007",
        "count": None,
        "coverage": "not-in-sources",
    }
    assert meetings["geneva-2011"]["count"] is None and meetings["athens-2009"]["count"] == 10
    years = {value["value"]: value["count"] for value in facets["year"]}
    assert years["2007"] is None and years["2011"] is None and years["2009"] == 10
    points = {v["value"]: v["count"] for v in client.get("/api/recommendations/").json()["facets"]["meeting"]}
    assert points == {
        "brussels-2007": 29,
        "manila-2008": None,
        "athens-2009": 75,
        "puerto-vallarta-2010": None,
        "geneva-2011": None,
        "mauritius-2012": None,
    }
    page = words(client, "/sessions/")
    assert "Brussels 2007 not in our sources" in page and "Geneva 2011 not in our sources" in page


def test_a_list_of_a_meeting_our_sources_do_not_cover_says_so_rather_than_0(client):
    response = client.get("/sessions/", {"meeting": "brussels-2007"})
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', response.content.decode()).group(1)
    assert heading == "Sessions of Brussels 2007: not in our sources"
    page = words(client, "/sessions/?meeting=brussels-2007")
    assert "Our sources do not give the sessions of Brussels 2007" in page and " 0 sessions" not in page
    # A list a meeting's records are in says its count is of what our sources give.
    listed = client.get("/recommendations/", {"meeting": "athens-2009"}).content.decode()
    assert (
        '<h2 id="results-heading" class="result-count">75 recommendations and other points in our sources</h2>'
        in listed
    )


def test_the_themes_table_never_prints_0_over_meetings_our_sources_do_not_cover(client):
    response = client.get("/themes/")
    totals = re.findall(r'<td class="total">(.*?)</td>', response.content.decode(), re.S)
    assert len(totals) == 13
    shown = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).replace("&nbsp;", " ") for cell in totals]
    assert not any(re.search(r"(^|\s)0 [sr]", cell) for cell in shown)
    assert any("none s" in cell for cell in shown)
    assert "All meetings, in our sources" in response.content.decode()


def test_a_meeting_page_says_which_track_and_kind_its_points_are(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        athens = words(client, "/meetings/athens-2009/")
    assert "Civil Society Days: 75 recommendations (39 of them lettered sub-points)" in athens
    brussels = words(client, "/meetings/brussels-2007/")
    assert "Government meeting: 18 recommendations; 11 follow-up actions" in brussels


def test_a_facet_shows_values_not_in_our_sources_while_there_is_room_and_every_chosen_one():
    # a to f in their natural order: a, c and f with records, b, d and e not in our sources, e chosen.
    rank = {value: place for place, value in enumerate("abcdef")}
    found = {"a": 5, "c": 3, "f": 1}
    uncovered = {"b", "d", "e"}
    assert top_values(found, {"e"}, uncovered, rank, 4) == ["a", "b", "c", "e", "f"]
    assert top_values(found, {"e"}, uncovered, rank, 2) == ["a", "c", "e"]
    assert top_values(found, set(), uncovered, rank, 1) == ["a"]
    # Ties go to the value that comes first.
    assert top_values({"a": 1, "b": 2, "c": 2}, set(), set(), rank, 1) == ["b"]
