"""The faceted lists: filters, disjunctive facet counts, pages, JSON and CSV from one FilterSet.

On the small made-up content of tests/small_fixtures and the records tests/list_records.py adds to it
(its docstring lists them): these test the mechanism, not what the content says. What the real
content's lists hold is in tests/test_content_lists.py.
"""

import csv
import html
import io
import itertools
from urllib.parse import urlencode

import pytest

from tests.list_records import add_list_records

pytestmark = pytest.mark.usefixtures("small_content")


@pytest.fixture(scope="module", autouse=True)
def records(small_database, django_db_blocker):
    with django_db_blocker.unblock():
        return add_list_records()


def api(client, path, **params):
    response = client.get(f"/api/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def texts(data):
    return [result["text"] for result in data["results"]]


def test_one_agency_filter_gives_its_activities(client):
    data = api(client, "activities", gmg_member="TEST-A")
    assert data["count"] == 4
    assert texts(data) == [
        "Do a first thing.",
        "Protect domestic workers abroad.",
        "Study remittances.",
        "Share data on migration.",
    ]
    assert all("TEST-A" in result["gmg_members"] for result in data["results"])


def test_two_values_of_one_facet_combine_with_or(client):
    both = api(client, "activities", gmg_member=["TEST-A", "TEST-B"], page_size=200)
    # Four of TEST-A and two of TEST-B, one of them of both: counted once.
    assert both["count"] == 5
    assert texts(both) == [
        "Do a first thing.",
        "Do a second thing.",
        "Protect domestic workers abroad.",
        "Study remittances.",
        "Share data on migration.",
    ]
    assert all({"TEST-A", "TEST-B"} & set(r["gmg_members"]) for r in both["results"])


def test_different_facets_combine_with_and(client):
    data = api(client, "activities", gmg_member="TEST-A", roundtable="1", page_size=200)
    # TEST-A has four activities and roundtable 1 four: two are both.
    assert data["count"] == 2
    assert texts(data) == ["Do a first thing.", "Protect domestic workers abroad."]
    assert all(r["roundtable"] == 1 and "TEST-A" in r["gmg_members"] for r in data["results"])


def test_it_counts_each_agency_under_other_filters(client):
    data = api(client, "activities", gmg_member="TEST-A", roundtable="1")
    # Choosing TEST-A does not hide the other agencies: each is counted within roundtable 1.
    assert {f["value"]: f["count"] for f in data["facets"]["gmg_member"]} == {"ILO": 2, "TEST-A": 2, "TEST-B": 1}
    # Choosing roundtable 1 does not hide roundtable 2: it is counted for TEST-A.
    assert {f["value"]: f["count"] for f in data["facets"]["roundtable"]} == {"1": 2, "2": 2}


LISTS = {
    "sessions": [
        {},
        {"year": "2097"},
        {"track": "civil-society"},
        {"theme": "test-rights"},
        {"year": "2097", "track": "government"},
    ],
    "recommendations": [
        {},
        {"year": "2097"},
        {"kind": "key-message"},
        {"track": "civil-society", "theme": "test-rights"},
        {"tag": "domestic-workers"},
    ],
    "activities": [
        {},
        {"roundtable": "1"},
        {"gmg_member": "TEST-B"},
        {"theme": "test-labour", "roundtable": "2"},
    ],
}


@pytest.mark.parametrize(("path", "params"), [(path, params) for path, combos in LISTS.items() for params in combos])
def test_every_facet_count_equals_the_count_its_link_gives(client, path, params):
    data = api(client, path, **params)
    for facet, values in data["facets"].items():
        if facet in params:
            continue  # a facet's own selection widens it: its link gives the union
        for value in values:
            narrowed = api(client, path, **(params | {facet: value["value"]}))
            # A meeting whose records our sources do not give is counted None, "not in our sources": none found.
            expected = 0 if value["count"] is None and value["coverage"] == "not-in-sources" else value["count"]
            assert narrowed["count"] == expected, (path, params, facet, value)


@pytest.mark.parametrize(
    ("path", "by_year"),
    [
        ("sessions", {"2097": 4, "2098": None, "2099": 2}),
        ("recommendations", {"2097": 5, "2098": None, "2099": 5}),
    ],
)
def test_a_meeting_not_in_our_sources_is_counted_null_and_its_link_finds_none(client, path, by_year):
    facets = api(client, path)["facets"]
    assert {f["value"]: f["count"] for f in facets["year"]} == by_year
    unknown = [(f["value"], f["coverage"]) for f in facets["year"] + facets["meeting"] if f["count"] is None]
    assert unknown == [("2098", "not-in-sources"), ("nowhere-2098", "not-in-sources")]
    filtered = api(client, path, year="2098")
    assert filtered["count"] == 0
    assert [(c["meeting"], c["coverage"]) for c in filtered["coverage"]] == [("nowhere-2098", "not-in-sources")]


@pytest.mark.parametrize(
    ("path", "noun", "fieldtown"),
    [("sessions", "sessions", 4), ("recommendations", "recommendations and other points", 5)],
)
def test_a_list_of_a_meeting_not_in_our_sources_says_so_rather_than_zero(client, path, noun, fieldtown):
    page = client.get(f"/{path}/?meeting=nowhere-2098").content.decode()
    heading = page.split('id="results-heading"', 1)[1].split("</h2>", 1)[0]
    assert heading.endswith(f">{noun.capitalize()} of Nowhere 2098: not in our sources")
    assert "Our sources do not give the" in page and '<a href="/meetings/nowhere-2098/">Nowhere 2098</a>' in page
    # Beside a meeting they cover, the count is a count, and the note names the other alone.
    page = client.get(f"/{path}/?meeting=nowhere-2098&meeting=fieldtown-2097").content.decode()
    heading = page.split('id="results-heading"', 1)[1].split("</h2>", 1)[0]
    assert heading.endswith(f">{fieldtown} {noun} in our sources")
    assert page.count('class="notice not-in-sources-note"') == 1


def test_facet_values_come_in_their_natural_order(client):
    # Made in another order: Testville 2099 first, then Fieldtown 2097 and Nowhere 2098; ILO last.
    data = api(client, "sessions")
    assert [f["value"] for f in data["facets"]["year"]] == ["2097", "2098", "2099"]
    members = [f["value"] for f in api(client, "activities")["facets"]["gmg_member"]]
    assert members == ["ILO", "TEST-A", "TEST-B"]


def test_the_api_answers_in_the_contract_shape(client):
    sessions = api(client, "sessions", year="2097", page_size=2)
    # The contract's fields, with the defaults declared and, filtered to a meeting covered in part, its coverage.
    assert set(sessions) == {"count", "next", "previous", "results", "facets", "defaults", "coverage"}
    assert sessions["count"] == 4
    assert sessions["next"].endswith("page=2") and sessions["previous"] is None
    first = sessions["results"][0]
    assert {"id", "url", "meeting", "year", "track", "roundtable", "number", "title"} <= set(first)
    assert first["meeting"] == "fieldtown-2097" and first["url"] == "/meetings/fieldtown-2097/sessions/csd-1-1/"
    recommendation = api(client, "recommendations", page_size=1)["results"][0]
    assert {"id", "url", "meeting", "year", "track", "kind", "number", "text"} <= set(recommendation)
    activity = api(client, "activities", page_size=1)["results"][0]
    assert {"id", "url", "roundtable", "section", "text", "objectives", "gmg_members"} <= set(activity)
    assert activity["gmg_members"] == ["TEST-A"] and activity["objectives"] == ["An objective."]
    facet_value = api(client, "activities")["facets"]["gmg_member"][0]
    assert set(facet_value) == {"value", "label", "count"}


def test_the_meetings_api_lists_the_meetings_in_year_order(client):
    data = api(client, "meetings")
    assert data["count"] == 3
    assert [m["slug"] for m in data["results"]] == ["fieldtown-2097", "nowhere-2098", "testville-2099"]
    fieldtown = data["results"][0]
    assert (fieldtown["year"], fieldtown["city"], fieldtown["country"]) == (2097, "Fieldtown", "Fieldland")
    assert (fieldtown["start_date"], fieldtown["end_date"]) == ("2097-10-01", "2097-10-02")
    assert data["results"][1]["coverage"]["sessions"] == "not-in-sources"


def csv_rows(client, path, params):
    response = client.get(f"/{path}/?{urlencode(params, doseq=True)}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # written as it is read, whatever the size of the list
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(("path", "count"), [("sessions", 4), ("recommendations", 5), ("activities", 4)])
def test_csv_and_json_hold_the_same_records_in_the_same_order(client, path, count):
    params = LISTS[path][1]
    rows = csv_rows(client, path, params)
    data = api(client, path, **params, page_size=200)
    assert [int(row["id"]) for row in rows] == [r["id"] for r in data["results"]]
    assert len(rows) == data["count"] == count
    assert all(row["url"].startswith("http://testserver/") for row in rows)


def test_csv_rows_carry_ids_and_labels_of_related_records(client, records):
    rows = csv_rows(client, "recommendations", {"year": "2097", "kind": "recommendation"})
    assert [row["text"] for row in rows] == [
        "Protect domestic workers wherever they work.",
        "Lower the cost of sending remittances.",
    ]
    row = rows[0]
    assert row["meeting"] == "fieldtown-2097" and row["meeting_label"] == "Fieldtown 2097"
    assert row["meeting_id"] == str(records.fieldtown.pk) and row["roundtable_id"] == str(records.work_abroad.pk)
    assert row["themes"] == "test-rights" and row["theme_labels"] == "Test rights"


def test_the_page_and_the_api_show_the_same_records(client):
    data = api(client, "activities", gmg_member="TEST-A")
    page = client.get("/activities/", {"gmg_member": "TEST-A"}).content.decode()
    assert "4 activities" in page
    assert len(data["results"]) == 4
    for result in data["results"]:
        assert f'href="{result["url"]}"' in page


def test_the_list_page_shows_facets_counts_and_clear_all(client):
    response = client.get("/recommendations/", {"year": "2097", "kind": "recommendation"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 recommendations and other points" in page
    assert "Clear all" in page and 'href="/recommendations/"' in page
    assert 'aria-current="true"' in page  # the selected values are marked


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("sessions", {"year": "abc"}, "year"),
        ("sessions", {"theme": "no-such-theme"}, "theme"),
        ("recommendations", {"kind": "poem"}, "kind"),
        ("activities", {"gmg_member": "NASA"}, "gmg_member"),
        ("sessions", {"page": "-1"}, "page"),
        ("sessions", {"page": "0"}, "page"),
        ("sessions", {"page": "99999"}, "There is no page 99999"),
        ("sessions", {"page_size": "1000000"}, "page_size"),
        ("sessions", {"sort": "password"}, "sort"),
    ],
)
def test_a_bad_parameter_gets_a_400_with_a_clear_message(client, path, params, message):
    response = client.get(f"/api/{path}/", params)
    assert response.status_code == 400
    assert message in str(response.json()["errors"])
    page = client.get(f"/{path}/", params)
    assert page.status_code == 400
    assert "This list cannot be shown" in page.content.decode()


@pytest.mark.parametrize("params", [{"year": "abc"}, {"theme": "no-such-theme"}])
def test_a_bad_filter_gets_the_same_error_from_the_api_the_csv_and_the_feed(client, params):
    api = client.get("/api/sessions/", params)
    csv = client.get("/sessions/", {**params, "format": "csv"})
    feed = client.get("/sessions/", {**params, "format": "atom"})
    assert api.status_code == csv.status_code == feed.status_code == 400
    assert csv.json() == api.json()
    (name,) = params
    (message,) = api.json()["errors"][name]
    assert "valid choice" in message
    assert html.escape(message) in feed.content.decode()


def test_what_a_user_typed_is_never_echoed_unescaped(client):
    typed = '<script>alert("x")</script>'
    for path in ["/sessions/", "/recommendations/", "/activities/", "/search/"]:
        for params in ({"q": typed}, {"theme": typed}):
            page = client.get(path, params).content.decode()
            assert typed not in page
    assert typed not in client.get("/meetings/%3Cscript%3E/").content.decode()


def test_full_text_narrows_the_list(client):
    data = api(client, "recommendations", q="domestic workers", page_size=200)
    # Of the ten points held, two speak of domestic workers.
    assert data["count"] == 2
    assert texts(data) == ["Domestic workers must be heard.", "Protect domestic workers wherever they work."]


@pytest.mark.parametrize("path", ["/sessions/", "/recommendations/", "/activities/"])
def test_the_list_pages_run_a_fixed_number_of_queries(client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/api{path}", {"page_size": 200}).status_code == 200


def test_every_combination_of_two_years_is_an_or(client):
    by_year = {year: api(client, "sessions", year=year)["count"] for year in ["2097", "2098", "2099"]}
    assert by_year == {"2097": 4, "2098": 0, "2099": 2}
    for a, b in itertools.combinations(by_year, 2):
        assert api(client, "sessions", year=[a, b])["count"] == by_year[a] + by_year[b]


@pytest.mark.parametrize("url", ["/gmg/%00/", "/meetings/a%00b/", "/sessions/?q=%00", "/api/sessions/?theme=%00"])
def test_a_nul_character_in_the_address_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
