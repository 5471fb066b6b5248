"""Any list or search is an Atom feed (`?format=atom`) of its records' latest changes, newest first (RFC 4287)."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import feedparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib import feeds

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parsed(client, url):
    """The feed's root, checked against what RFC 4287 requires of a feed and of each entry."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == settings.SITE_URL + url
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(settings.SITE_URL + "/")
        assert entry.find(f"{ATOM}summary").text
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == len(feed.findall(f"{ATOM}entry"))  # each entry its own id
    return feed


def entries(feed):
    return [
        {
            "link": entry.find(f"{ATOM}link").get("href").removeprefix(settings.SITE_URL),
            "updated": datetime.fromisoformat(entry.find(f"{ATOM}updated").text),
            "summary": entry.find(f"{ATOM}summary").text,
            "title": entry.find(f"{ATOM}title").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.mark.parametrize("path", ["/sessions/", "/recommendations/", "/activities/", "/search/?q=migration"])
def test_every_list_and_the_search_is_an_atom_feed_newest_change_first(client, path):
    url = path + ("&" if "?" in path else "?") + "format=atom"
    found = entries(parsed(client, url))
    assert 0 < len(found) <= feeds.FEED_SIZE
    dates = [entry["updated"] for entry in found]
    assert dates == sorted(dates, reverse=True)
    # The loader adds each record, and saves again those it links to one another (a point also reported as
    # another): what the history holds.
    summaries = {entry["summary"] for entry in found}
    assert summaries <= {"Added, version 1 (load_gfmd).", "Version 2 (load_gfmd) changed: also reported as."}


def test_a_feed_reader_reads_it_as_atom_1_0(client):
    """What a feed reader's parser makes of it: well-formed Atom 1.0, each entry with its page and date."""
    response = client.get("/recommendations/?year=2009&format=atom")
    read = feedparser.parse(response.content)
    assert not read.bozo, read.get("bozo_exception")
    assert read.version == "atom10"
    assert read.feed.title == "Recommendations: latest changes in this view · GFMD Knowledge Base"
    assert read.feed.id == settings.SITE_URL + "/recommendations/?year=2009&format=atom"
    assert 0 < len(read.entries) <= feeds.FEED_SIZE
    for entry in read.entries:
        assert entry.link.startswith(settings.SITE_URL + "/recommendations/")
        assert entry.updated_parsed and entry.title and entry.summary
        assert entry.id.startswith(entry.link + "#change-")


def test_a_feed_holds_the_records_of_its_view_alone(client):
    found = entries(parsed(client, "/sessions/?meeting=athens-2009&format=atom"))
    assert len(found) == 10  # Athens 2009's ten sessions, each added once
    assert all(entry["link"].startswith("/meetings/athens-2009/sessions/") for entry in found)
    feed = parsed(client, "/sessions/?meeting=athens-2009&format=atom")
    assert feed.find(f"{ATOM}subtitle").text == "The latest changes to the 10 sessions of this view, newest first."
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href") == settings.SITE_URL + "/sessions/?meeting=athens-2009"
    )


def test_a_view_of_a_meeting_the_sources_are_silent_on_is_an_empty_feed(client):
    feed = parsed(client, "/sessions/?year=2007&format=atom")
    assert feed.findall(f"{ATOM}entry") == []


def test_every_list_and_search_page_links_its_feed_in_its_head(client):
    for path, feed in (
        ("/sessions/?year=2009&page=2&page_size=5", "/sessions/?year=2009&amp;format=atom"),
        ("/recommendations/", "/recommendations/?format=atom"),
        ("/activities/?gmg_member=IOM", "/activities/?gmg_member=IOM&amp;format=atom"),
        ("/search/?q=migration", "/search/?q=migration&amp;format=atom"),
    ):
        html = client.get(path).content.decode()
        head = html.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml" title="' in head
        assert f'href="{feed}"' in head, path


def test_an_unknown_format_is_a_400_that_names_atom(client):
    response = client.get("/sessions/?format=rss")
    assert response.status_code == 400
    assert "format must be csv or atom, or left out." in response.content.decode()


def test_a_feed_of_a_bad_filter_is_a_400(client):
    response = client.get("/sessions/?format=atom&year=1999")
    assert response.status_code == 400
    assert "1999" in response.content.decode()
    assert client.get("/sessions/?format=atom&colour=red").status_code == 400


def test_a_feed_is_a_cached_page_with_a_fixed_number_of_queries(client):
    for path in ("/sessions/?format=atom", "/recommendations/?format=atom&year=2009", "/activities/?format=atom"):
        client.get(path + "&page_size=1" if "?" in path else path)  # the facet index, built once a revision
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        # The revision, the history's latest changes, the versions before them, the records' titles and pages.
        assert len(context.captured_queries) == 4, [q["sql"][:80] for q in context.captured_queries]
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        assert len(context.captured_queries) == 1  # the revision: the rest is the cached page


def test_a_large_view_reads_a_bounded_window_of_the_history(client, monkeypatch):
    monkeypatch.setattr(feeds, "BY_ID", 5)
    feed = parsed(client, "/recommendations/?format=atom")
    assert re.match(
        r"The changes to the \d+ recommendations and other points of this view among the latest 2000",
        feed.find(f"{ATOM}subtitle").text,
    )
    assert len(entries(feed)) == feeds.FEED_SIZE


def test_an_api_address_asked_for_a_feed_points_to_its_page_s_feed(client):
    response = client.get("/api/sessions/?year=2009&format=atom")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["format"]
    assert message.endswith("The Atom feed of this view is at /sessions/?year=2009&format=atom.")


def test_a_search_feed_without_words_is_a_400(client):
    response = client.get("/search/?format=atom")
    assert response.status_code == 400
    assert "q is required" in response.content.decode()
