"""The page cache is bounded by what pages read: a query string, a Host header or a port a client chooses
never makes a new entry, and a deploy never serves what the old code rendered.

On the small made-up content of tests/small_fixtures: these test the mechanism, not what the content says.
"""

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from gfmd.env import env_origin
from lib import caching

pytestmark = pytest.mark.usefixtures("small_content")

SESSION = "/meetings/testville-2099/sessions/1-1/"


def entries():
    return len(caches["pages"]._cache)


@pytest.mark.parametrize("url", [SESSION, "/api/openapi.json", "/data/", "/api/", "/meetings/testville-2099/"])
def test_a_parameter_a_page_does_not_read_is_a_400_naming_what_it_reads_and_is_never_kept(client, url):
    client.get(url)
    kept = entries()
    for n in range(20):
        response = client.get(url, {"v": n})
        assert response.status_code == 400
        assert "does not take v" in response.content.decode()
    assert entries() == kept


def test_a_page_that_takes_a_format_names_it(client):
    response = client.get(SESSION, {"v": 1})
    assert "it takes format" in response.content.decode()
    assert client.get(SESSION, {"format": "bibtex"}).status_code == 200


def test_hosts_ports_and_schemes_share_one_entry_and_one_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    first = client.get(SESSION)
    kept = entries()
    for headers in ({"host": "127.0.0.1:1"}, {"host": "127.0.0.1:99999"}, {"x-forwarded-proto": "https"}):
        assert client.get(SESSION, headers=headers).content == first.content
    assert entries() == kept


def test_parameters_in_another_order_or_repeated_are_one_entry(client):
    client.get("/sessions/", {"year": "2099", "theme": "test-labour"})
    kept = entries()
    client.get("/sessions/?theme=test-labour&year=2099")
    assert entries() == kept


def test_a_page_over_the_size_ceiling_is_served_but_not_kept(client, monkeypatch):
    monkeypatch.setattr(caching, "PAGE_SIZE_LIMIT", 100)
    assert client.get(SESSION).status_code == 200
    assert entries() == 0


def test_a_new_release_is_a_new_etag_and_a_fresh_page(client, settings):
    first = client.get(SESSION)
    settings.RELEASE = "next"
    again = client.get(SESSION, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"] and "next" in again["ETag"]
    assert entries() == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("gfmd.example.org", "not an address"),
        ("https://gfmd.example.org/kb", "not an address"),
        ("ftp://gfmd.example.org", "not an address"),
        ("https://gfmd.example.org:99999", "port"),
    ],
)
def test_a_site_url_that_is_not_an_origin_stops_start_up_saying_why(monkeypatch, raw, message):
    monkeypatch.setenv("SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_origin("SITE_URL", default=None)


def test_production_without_a_site_url_stops_start_up_saying_so(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL is not set"):
        env_origin("SITE_URL", default=None)
    assert env_origin("SITE_URL", default="http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://gfmd.example.org/")
    assert env_origin("SITE_URL", default=None) == "https://gfmd.example.org"
