"""The faceted lists: filters, disjunctive facet counts, pages, JSON and CSV from one FilterSet."""

import csv
import html
import io
import itertools
from urllib.parse import urlencode

import pytest

from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Session

pytestmark = pytest.mark.django_db


def api(client, path, **params):
    response = client.get(f"/api/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_one_agency_filter_gives_its_activities(client):
    data = api(client, "activities", gmg_member="UNODC")
    assert data["count"] == ProposedActivity.objects.filter(gmg_members__acronym="UNODC").count() == 6
    assert all("UNODC" in result["gmg_members"] for result in data["results"])


def test_two_values_of_one_facet_combine_with_or(client):
    both = api(client, "activities", gmg_member=["UNODC", "UNFPA"], page_size=200)
    expected = ProposedActivity.objects.filter(gmg_members__acronym__in=["UNODC", "UNFPA"]).distinct().count()
    assert both["count"] == expected
    assert all({"UNODC", "UNFPA"} & set(r["gmg_members"]) for r in both["results"])


def test_different_facets_combine_with_and(client):
    data = api(client, "activities", gmg_member="UNHCR", roundtable="1", page_size=200)
    assert (
        data["count"]
        == ProposedActivity.objects.filter(gmg_members__acronym="UNHCR", section__roundtable__number=1).count()
    )
    assert all(r["roundtable"] == 1 and "UNHCR" in r["gmg_members"] for r in data["results"])


def test_it_counts_each_agency_under_other_filters(client):
    data = api(client, "activities", gmg_member="UNODC", roundtable="1")
    counts = {f["value"]: f["count"] for f in data["facets"]["gmg_member"]}
    # Choosing UNODC does not hide UNDP: UNDP's count is UNDP's within roundtable 1.
    assert (
        counts["UNDP"]
        == ProposedActivity.objects.filter(gmg_members__acronym="UNDP", section__roundtable__number=1).count()
    )
    assert counts["UNDP"] > 0
    roundtables = {f["value"]: f["count"] for f in data["facets"]["roundtable"]}
    assert (
        roundtables["2"]
        == ProposedActivity.objects.filter(gmg_members__acronym="UNODC", section__roundtable__number=2).count()
    )


LISTS = {
    "sessions": [
        {},
        {"year": "2009"},
        {"track": "civil-society"},
        {"theme": "gender-family"},
        {"year": "2012", "track": "government"},
    ],
    "recommendations": [
        {},
        {"year": "2009"},
        {"kind": "key-message"},
        {"track": "civil-society", "theme": "rights-protection"},
        {"tag": "domestic-workers"},
    ],
    "activities": [
        {},
        {"roundtable": "1"},
        {"gmg_member": "UNHCR"},
        {"theme": "irregular-migration", "roundtable": "3"},
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


def test_facet_values_come_in_their_natural_order(client):
    data = api(client, "sessions")
    years = [int(f["value"]) for f in data["facets"]["year"]]
    assert years == sorted(years) and years[0] == 2007 and years[-1] == 2012
    members = [f["value"] for f in api(client, "activities")["facets"]["gmg_member"]]
    assert members == sorted(members)


def test_the_api_answers_in_the_contract_shape(client):
    sessions = api(client, "sessions", year="2009", page_size=2)
    # The contract's fields, with the defaults declared and, filtered to a meeting covered in part, its coverage.
    assert set(sessions) == {"count", "next", "previous", "results", "facets", "defaults", "coverage"}
    assert sessions["count"] == Session.objects.filter(meeting__year=2009).count()
    assert sessions["next"].endswith("page=2") and sessions["previous"] is None
    first = sessions["results"][0]
    assert {"id", "url", "meeting", "year", "track", "roundtable", "number", "title"} <= set(first)
    assert first["meeting"] == "athens-2009" and first["url"].startswith("/meetings/athens-2009/sessions/")
    recommendation = api(client, "recommendations", page_size=1)["results"][0]
    assert {"id", "url", "meeting", "year", "track", "kind", "number", "text"} <= set(recommendation)
    activity = api(client, "activities", page_size=1)["results"][0]
    assert {"id", "url", "roundtable", "section", "text", "objectives", "gmg_members"} <= set(activity)
    assert activity["gmg_members"] and activity["objectives"]
    facet_value = api(client, "activities")["facets"]["gmg_member"][0]
    assert set(facet_value) == {"value", "label", "count"}


def test_the_meetings_api_lists_the_six_meetings(client):
    data = api(client, "meetings")
    assert data["count"] == 6
    athens = data["results"][2]
    assert (athens["slug"], athens["year"], athens["city"], athens["country"]) == (
        "athens-2009",
        2009,
        "Athens",
        "Greece",
    )
    assert (athens["start_date"], athens["end_date"]) == ("2009-11-04", "2009-11-05")


def csv_rows(client, path, params):
    response = client.get(f"/{path}/?{urlencode(params, doseq=True)}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # written as it is read, whatever the size of the list
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("path", ["sessions", "recommendations", "activities"])
def test_csv_and_json_hold_the_same_records_in_the_same_order(client, path):
    params = LISTS[path][1]
    rows = csv_rows(client, path, params)
    data = api(client, path, **params, page_size=200)
    assert [int(row["id"]) for row in rows] == [r["id"] for r in data["results"]]
    assert len(rows) == data["count"]
    assert all(row["url"].startswith("http://testserver/") for row in rows)


def test_csv_rows_carry_ids_and_labels_of_related_records(client):
    rows = csv_rows(client, "recommendations", {"year": "2009", "kind": "recommendation"})
    row = rows[0]
    assert row["meeting"] == "athens-2009" and row["meeting_label"] == "Athens 2009"
    assert row["meeting_id"].isdigit() and row["roundtable_id"].isdigit()
    assert row["themes"] and row["theme_labels"]


def test_the_page_and_the_api_show_the_same_records(client):
    data = api(client, "activities", gmg_member="UNODC")
    page = client.get("/activities/", {"gmg_member": "UNODC"}).content.decode()
    assert f"{data['count']} activities" in page
    for result in data["results"]:
        assert f'href="{result["url"]}"' in page


def test_the_list_page_shows_facets_counts_and_clear_all(client):
    response = client.get("/recommendations/", {"year": "2009", "kind": "recommendation"})
    page = response.content.decode()
    assert response.status_code == 200
    expected = Recommendation.objects.filter(meeting__year=2009, kind="recommendation").count()
    assert f"{expected} recommendations and other points" in page
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
    assert data["count"] > 0
    assert all("domestic" in r["text"].lower() for r in data["results"])


@pytest.mark.parametrize("path", ["/sessions/", "/recommendations/", "/activities/"])
def test_the_list_pages_run_a_fixed_number_of_queries(client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/api{path}", {"page_size": 200}).status_code == 200


def test_every_combination_of_two_years_is_an_or(client):
    for a, b in itertools.combinations(["2007", "2008", "2009", "2012"], 2):
        both = api(client, "sessions", year=[a, b])["count"]
        assert both == api(client, "sessions", year=a)["count"] + api(client, "sessions", year=b)["count"]


@pytest.mark.parametrize("url", ["/gmg/%00/", "/meetings/a%00b/", "/sessions/?q=%00", "/api/sessions/?theme=%00"])
def test_a_nul_character_in_the_address_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
