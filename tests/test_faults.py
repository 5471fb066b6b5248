"""Faults a server survives: a Redis that hangs, a server started without its collected static files."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from lib import cache as shared_cache
from tests.helpers_servers import free_port, hung_server, redis_caches, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.mark.django_db
def test_a_hung_redis_costs_one_timeout_then_each_request_skips_it(client, settings, caplog):
    with hung_server() as url:
        settings.CACHES = redis_caches(url)
        started = time.monotonic()
        first = client.get("/meetings/")
        first_took = time.monotonic() - started
        assert first.status_code == 200 and "Athens" in first.content.decode()
        # One wait, shared by both aliases: the breaker is the server's, not the alias's.
        assert shared_cache.TIMEOUT <= first_took < 2 * shared_cache.TIMEOUT
        breaker = caches["default"].breaker
        assert caches["pages"].breaker is breaker and breaker.resting()
        assert 0 < breaker.seconds_left() <= shared_cache.RETRY_AFTER
        for page in ["/themes/", "/sessions/?year=2009", "/api/recommendations/?year=2010", "/"]:
            assert client.get(page).status_code == 200, page
        # The page again: the copy this process kept as it rendered it, so what is timed is the cache's cost.
        urls = ["/meetings/"] * 20
        started = time.monotonic()
        for page in urls:
            assert client.get(page).status_code == 200, page
        took = time.monotonic() - started
        # Twenty requests, none of which waited for Redis (at most one, had the breaker's rest run out).
        assert took < shared_cache.TIMEOUT + len(urls) * shared_cache.TIMEOUT / 4, took
        assert breaker.resting()
        assert caplog.text.count("The cache is unreachable") == 1


@pytest.mark.django_db
def test_healthz_says_the_cache_is_degraded_while_pages_are_served(client, settings):
    with hung_server() as url:
        settings.CACHES = redis_caches(url)
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "degraded: cache"
        assert body["checks"]["database"] == "ok" and body["checks"]["cache"].startswith("unreachable")
        # The breaker is open now: the next check answers at once, and says so.
        started = time.monotonic()
        again = client.get("/healthz").json()
        assert time.monotonic() - started < shared_cache.TIMEOUT / 2
        assert "left alone" in again["checks"]["cache"]
        only = client.get("/healthz", {"only": "cache"})
        assert only.status_code == 503 and only.json()["status"] == "failing: cache"
        assert client.get("/healthz", {"only": "database"}).status_code == 200
        assert client.get("/meetings/").status_code == 200


@pytest.mark.django_db
def test_healthz_fails_on_a_server_missing_its_static_manifest(client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    settings.STATIC_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "failing: static"
    assert "collectstatic" in response.json()["checks"]["static"]
    assert str(tmp_path) not in response.content.decode()
    assert client.get("/healthz", {"only": "static"}).status_code == 503
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    assert client.get("/healthz").json()["checks"]["static"] == "ok"


def production(static_root, **more):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "CACHE_URL"}}
    return env | {
        "DJANGO_SETTINGS_MODULE": "gfmd.settings",
        "DEBUG": "false",
        "SECRET_KEY": "s" * 60,  # a test-only key
        "SITE_URL": "http://127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "SECURE_SSL_REDIRECT": "false",
        **more,
    }


def test_a_server_without_collectstatic_refuses_to_start_and_says_why(tmp_path):
    env = production(tmp_path / "static")
    port = free_port()
    server = subprocess.run(
        [sys.executable, "-m", "gunicorn", "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert server.returncode != 0
    assert "The site cannot start" in server.stderr and "collectstatic --no-input" in server.stderr
    assert "Worker failed to boot" in server.stderr
    runserver = subprocess.run(
        [sys.executable, "manage.py", "runserver", "--noreload", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert runserver.returncode != 0 and "The site cannot start" in runserver.stderr


def test_collectstatic_and_migrate_still_run_and_then_the_server_starts(tmp_path):
    env = production(tmp_path / "static", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # migrate's plan: the command loads all that a migration would, in a second rather than fifteen.
    for command in (["migrate", "--plan"], ["collectstatic", "--no-input", "-v", "0"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
