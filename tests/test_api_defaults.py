"""Defaults declared: every API list says what it shows when a parameter is left out, and how many records
that left out, with the parameter that shows them; any format but json is a 400."""

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def api(client, path, params=()):
    response = client.get(f"/api/{path}/", list(params))
    assert response.status_code == 200, response.content
    return response.json()


def test_recommendations_of_2008_say_what_the_defaults_left_out(client):
    answer = api(client, "recommendations", {"year": "2008"}.items())
    assert answer["count"] == 0
    defaults = answer["defaults"]
    assert defaults["stage"] == "held" and defaults["event"] is None
    # The 21 points of other events are no meeting's and of no year: they are not 2008's to leave out.
    assert defaults["left_out"] == {"stage=planned": 25}
    assert "Without stage" in defaults["note"] and "Without event" in defaults["note"]


def test_the_whole_list_says_the_event_default_left_out_the_other_events_points(client):
    defaults = api(client, "recommendations")["defaults"]
    events = {key: n for key, n in defaults["left_out"].items() if key.startswith("event=")}
    assert sum(events.values()) == 21 and len(events) == 2


CASES = [
    ("recommendations", [("year", "2008")]),
    ("recommendations", [("meeting", "mauritius-2012")]),
    ("recommendations", [("theme", "labour-mobility")]),
    ("recommendations", []),
    ("sessions", [("year", "2012")]),
    ("sessions", []),
    ("search", [("q", "migration")]),
]


@pytest.mark.parametrize(("path", "params"), CASES)
def test_each_parameter_left_out_shows_as_many_records_as_it_says(client, path, params):
    answer = api(client, path, params)
    assert answer["defaults"]["left_out"], (path, params)
    for key, n in answer["defaults"]["left_out"].items():
        shown = api(client, path, [*params, *parse_qsl(key)])["count"]
        # The parameter shows those records alone (stage=planned), or with the ones the default kept.
        assert n in (shown, shown - answer["count"]), (path, params, key, shown)


def test_a_parameter_given_is_no_default(client):
    both = api(client, "recommendations", [("stage", "held"), ("stage", "planned")])["defaults"]
    assert "stage" not in both and both["event"] is None
    # Both stages chosen: other events' points, which have none, are not among them to be left out.
    assert both["left_out"] == {}
    activities = api(client, "activities")["defaults"]
    assert activities == {"left_out": {}, "note": "Nothing is left out by default."}
    assert api(client, "meetings")["defaults"]["left_out"] == {}


def test_sessions_of_mauritius_leave_out_its_planned_ones(client):
    answer = api(client, "sessions", {"meeting": "mauritius-2012"}.items())
    assert answer["count"] == 7 and answer["defaults"]["left_out"] == {"stage=planned": 6}


def test_the_description_and_the_api_page_say_the_same(client):
    spec = client.get("/api/openapi.json").json()
    assert "Defaults are declared" in spec["info"]["description"]
    operation = spec["paths"]["/api/recommendations/"]["get"]
    assert "Without stage" in operation["description"] and "Without event" in operation["description"]
    stage = next(p for p in operation["parameters"] if p["name"] == "stage")
    assert "defaults.left_out" in stage["description"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "defaults" in schema["required"]
    page = client.get("/api/").content.decode()
    assert "Defaults:</strong> Without stage: what was held" in page
    assert "<code>left_out</code>" in page


API_ADDRESSES = [
    "/api/sessions/",
    "/api/recommendations/",
    "/api/activities/",
    "/api/search/?q=migration",
    "/api/meetings/",
    "/api/openapi.json",
]


@pytest.mark.parametrize("address", API_ADDRESSES)
def test_any_format_but_json_on_an_api_address_is_a_400_that_says_why(client, address):
    joiner = "&" if "?" in address else "?"
    assert client.get(f"{address}{joiner}format=json").status_code == 200
    for wanted in ("csv", "xml", "atom", "JSON"):
        response = client.get(f"{address}{joiner}format={wanted}")
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
        assert f"'{wanted}' is not one of them" in response.json()["errors"]["format"][0]


def test_format_csv_on_a_list_points_to_its_csv(client):
    message = client.get("/api/sessions/?year=2009&format=csv").json()["errors"]["format"][0]
    assert "The CSV of this view is at /sessions/?year=2009&format=csv." in message
    response = client.get("/sessions/?year=2009&format=csv")
    b"".join(response.streaming_content)  # read to its end, as a server sends it: its slot is freed
    assert response.status_code == 200


def formats_table():
    """{address: formats} as docs/api.md's one table of formats gives them."""
    text = DOCS.read_text()
    section = text[text.index("## Formats") :]
    section = section[: section.index("\n## ", 1)]
    rows = {}
    for line in section.splitlines():
        cells = line.strip("|").split("|")
        if len(cells) == 2 and cells[0].strip().startswith("`"):
            formats = re.findall(r"`([\w-]+)`", cells[1])
            for address in re.findall(r"`(/[^`]*)`", cells[0]):
                rows[address] = formats
    return rows


EXAMPLES = {"/api/search/": "/api/search/?q=migration", "/search/": "/search/?q=migration"}


def test_the_table_of_formats_is_what_each_address_takes(client):
    table = formats_table()
    assert len(table) >= 16
    for address, formats in table.items():
        if "<" in address:
            address = address.replace("<table>", "sessions")
        url = EXAMPLES.get(address, address)
        joiner = "&" if "?" in url else "?"
        for wanted in formats:
            response = client.get(f"{url}{joiner}format={wanted}")
            if response.streaming:
                b"".join(response.streaming_content)  # read to its end, as a server sends it: its slot is freed
            assert response.status_code == 200, (url, wanted)
        assert client.get(f"{url}{joiner}format=nonsense").status_code == 400, url
    for record in ("/meetings/athens-2009/", "/recommendations/1/", "/activities/1/", "/sources/gfmd-org-greece2009/"):
        for wanted in ("bibtex", "ris", "csl-json"):
            assert client.get(f"{record}?format={wanted}").status_code == 200, (record, wanted)
        assert client.get(f"{record}?format=csv").status_code == 400, record
