"""Public pages are cached and answer conditional GETs; an editor's save is public on the next request.

On the small made-up content of tests/small_fixtures: these test the mechanism, not what the content says.
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http.response import HttpResponseBase
from django.test.utils import CaptureQueriesContext

from lib.caching import content_changed
from sessions.models import Session

pytestmark = pytest.mark.usefixtures("small_content")

URL = "/meetings/testville-2099/sessions/1-1/"


def test_a_page_carries_an_etag_and_a_matching_request_gets_304(client):
    first = client.get(URL)
    assert first.status_code == 200 and first["ETag"]
    assert "must-revalidate" in first["Cache-Control"]
    again = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_cached_page_costs_one_query(client):
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(queries) == 1  # the content revision


def test_an_editors_save_shows_at_once_and_changes_the_etag(client):
    # What the admin does: the save, then the write path in its transaction.
    first = client.get(URL)
    session = Session.objects.get(meeting__slug="testville-2099", slug="1-1")
    session.title = "Corrected by an editor"
    session.save()
    content_changed([session])
    after = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert "Corrected by an editor" in after.content.decode()
    listing = client.get("/sessions/", {"year": "2099"}).content.decode()
    assert "Corrected by an editor" in listing


def test_linking_a_theme_is_a_change_too(client):
    session = Session.objects.get(meeting__slug="testville-2099", slug="1-1")
    before = client.get(URL)["ETag"]
    session.themes.clear()
    content_changed([session])
    assert client.get(URL)["ETag"] != before
    tagged = client.get(URL)["ETag"]
    session.tags.add("a new subject")
    content_changed([session])
    assert client.get(URL)["ETag"] != tagged
    assert "a new subject" in client.get(URL).content.decode()


def stored_pages(monkeypatch):
    """The responses the caches store from now on, whatever backends the settings give them."""
    pages = []
    for backend in {type(caches[alias]) for alias in settings.CACHES}:

        def spy(self, key, value, *args, _set=backend.set, **kwargs):
            if isinstance(value, HttpResponseBase):
                pages.append(value)
            return _set(self, key, value, *args, **kwargs)

        monkeypatch.setattr(backend, "set", spy)
    return pages


def test_an_error_page_is_not_cached(client, monkeypatch):
    pages = stored_pages(monkeypatch)
    assert client.get("/sessions/", {"year": "abc"}).status_code == 400
    assert client.get("/api/sessions/", {"year": "abc"}).status_code == 400
    assert client.get("/sessions/", {"colour": "red"}).status_code == 400
    assert pages == []
    assert client.get("/sessions/", {"year": "2099"}).status_code == 200
    assert [page.status_code for page in pages] == [200]
