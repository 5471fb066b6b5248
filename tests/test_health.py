"""/healthz: what a load balancer asks; and a shared cache that fails does not take pages down."""

import logging

import pytest
from django.core.cache import caches
from django.db import DatabaseError

from tests.helpers_servers import free_port, redis_caches, redis_server, redis_server_path

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_and_the_cache_answer(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "static": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_healthz_names_the_cache_when_it_fails_and_stays_200_as_pages_are_served(client, settings):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded: cache"
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"].startswith("unreachable")


def test_healthz_names_the_database_when_it_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "failing: database"
    assert "connection refused" not in response.content.decode()


def test_healthz_is_not_in_the_sitemap_and_not_cached(client):
    for section in ("/sitemap.xml", "/sitemap-pages.xml"):
        assert "healthz" not in client.get(section).content.decode()
    first = client.get("/healthz")
    assert "ETag" not in first


def test_healthz_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.skipif(
    not redis_server_path(), reason="Debian's redis-server is not installed (apt-get install redis-server)"
)
def test_a_stopped_redis_makes_pages_render_without_it(client, settings, caplog):
    with redis_server() as redis:
        settings.CACHES = redis_caches(redis.url)
        caches["default"].set("probe", "here")
        assert caches["default"].get("probe") == "here"
        assert client.get("/meetings/athens-2009/").status_code == 200
        redis.stop()
        with caplog.at_level(logging.WARNING, logger="gfmd.cache"):
            response = client.get("/meetings/athens-2009/")
            assert client.get("/themes/").status_code == 200
        assert response.status_code == 200 and "Athens" in response.content.decode()
        assert "The cache is unreachable" in caplog.text
        assert client.get("/healthz").json()["status"] == "degraded: cache"
        assert client.get("/healthz", {"only": "cache"}).status_code == 503


def test_a_load_balancer_asks_about_the_database_only(client, settings):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/healthz", {"only": "database"})
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}
    assert client.get("/healthz", {"only": "cache"}).status_code == 503
    assert client.get("/healthz", {"only": "disk"}).status_code == 400
