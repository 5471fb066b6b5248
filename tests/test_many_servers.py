"""Two app servers, one Redis, one PostgreSQL: the deployment of docs/operations.md, run for real.

An editor's change made through one server is on the other's pages at once, and
a Redis that stops makes both render pages from the database, never fail.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
import redis

from lib import cache as cache_backend
from tests.helpers_servers import free_port, hung_server, redis_server, redis_server_path, stop, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password for the servers test"
THEME = SimpleNamespace(slug="remittances-diaspora", name="Remittances and diasporas")

pytestmark = [
    pytest.mark.skipif(
        not redis_server_path(), reason="Debian's redis-server is not installed (apt-get install redis-server)"
    ),
]


class FormFields(HTMLParser):
    """The named inputs, textareas and selects of a page's forms, as a browser would post them back."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "checkbox", "radio"}:
            self.values[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.values[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "option" and "selected" in attrs and self._select:
            self.values[self._select] = attrs.get("value") or ""
        if tag == "select":
            self._select = name

    _select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None


class Browser:
    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, url):
        return self.open(urllib.request.Request(url))

    def post(self, url, data):
        return self.open(urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST"))

    def open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fields(page):
    parser = FormFields()
    parser.feed(page)
    return parser.values


@pytest.fixture
def servers_database(settings):
    """A PostgreSQL database of the test's own, migrated and loaded by the servers' own commands."""
    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Several app servers share one PostgreSQL; on SQLite there is nothing to share (set DATABASE_URL)")
    name = f"test_{config['NAME']}_servers"
    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    try:
        yield f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url, cache_url, static_root):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="gfmd.settings",
        DEBUG="false",
        SECRET_KEY="s" * 60,  # a test-only key
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        STATIC_ROOT=str(static_root),
        EXPORTS_DIR=str(static_root.parent / "exports"),
        # Plain HTTP on the loopback: the proxy that terminates TLS is not part of this test.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
    )
    return env


def test_two_app_servers_share_one_redis_and_one_postgresql(servers_database, tmp_path):
    static_root = tmp_path / "static"
    with redis_server() as cache:
        env = production_env(servers_database, cache.url, static_root)
        install(env)
        with gunicorns(env, tmp_path, 2) as (one, other):
            page = f"/themes/{THEME.slug}/"
            reader = Browser()

            # The other server renders the page and stores it in the shared Redis.
            status, headers, body = reader.get(other + page)
            assert status == 200 and THEME.name in body
            first_etag = headers["ETag"]
            assert redis.Redis.from_url(cache.url).keys("*page:*"), "the page was not stored in the shared cache"
            assert reader.get(one + page)[1]["ETag"] == first_etag

            rename_the_theme_through_the_admin(one, "Renamed through the first server")

            # The other server shows it at once, with a new ETag.
            status, headers, body = reader.get(other + page)
            assert status == 200 and "Renamed through the first server" in body
            assert headers["ETag"] != first_etag
            assert "Renamed through the first server" in reader.get(other + "/themes/")[2]

            # Redis stops: both servers render from the database, and say so in their logs.
            cache.stop()
            for server in (one, other):
                for url in (page, "/", "/sessions/?year=2009", "/api/sessions/?year=2009"):
                    status, _, body = reader.get(server + url)
                    assert status == 200, (server, url, status)
                assert "Renamed through the first server" in reader.get(server + page)[2]
                status, _, body = reader.get(server + "/healthz")
                assert status == 200 and '"degraded: cache"' in body
                status, _, body = reader.get(server + "/healthz?only=cache")
                assert status == 503 and '"failing: cache"' in body
        output = "".join((tmp_path / f"server-{index}.log").read_text() for index in range(2))
        assert "The cache is unreachable" in output
        assert "Traceback" not in output
        assert re.search(r"GET /themes/[\w-]+/ 200 ", output)
        hung_redis_costs_one_timeout_per_worker(env, tmp_path)


def install(env):
    """What a deploy runs before its servers start, and an editor's account."""
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v", "0"], ["load_gfmd", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)
    subprocess.run(
        [*manage, "create_editor", "olga", "--no-input"],
        cwd=ROOT,
        env=env | {"GFMD_EDITOR_PASSWORD": PASSWORD},
        check=True,
        timeout=120,
        capture_output=True,
    )


@contextmanager
def gunicorns(env, tmp_path, count):
    """`count` gunicorn servers of two workers each, on the one database and cache; yields their addresses.
    Each writes its log to server-<n>.log."""
    processes, logs, addresses = [], [], []
    try:
        for index in range(count):
            port = free_port()
            log = open(tmp_path / f"server-{index}.log", "w")
            logs.append(log)
            command = [sys.executable, "-m", "gunicorn", "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
            wait_for_port(port, processes[-1])
            addresses.append(f"http://127.0.0.1:{port}")
        yield addresses
    finally:
        for process in processes:
            stop(process)
        for log in logs:
            log.close()


def rename_the_theme_through_the_admin(server, name):
    """An editor signs in on `server` and renames THEME in the admin."""
    editor = Browser()
    status, _, login = editor.get(server + "/admin/login/")
    token = fields(login)["csrfmiddlewaretoken"]
    status, headers, _ = editor.post(
        server + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "olga", "password": PASSWORD, "next": "/admin/"},
    )
    assert status == 302, "the editor could not sign in"
    status, _, listing = editor.get(f"{server}/admin/themes/theme/?q={urllib.parse.quote_plus(THEME.name)}")
    (change,) = {server + path for path in re.findall(r'href="(/admin/themes/theme/\d+/change/)', listing)}
    status, _, form = editor.get(change)
    assert status == 200
    data = fields(form)
    # The English name: the admin shows each language's beside it.
    data["name_en_gb"] = name
    data.pop("_addanother", None), data.pop("_continue", None)
    status, _, body = editor.post(change, data)
    assert status == 302, body[:2000]


def hung_redis_costs_one_timeout_per_worker(env, tmp_path):
    """A server on a Redis that accepts connections and never answers: each of its two workers waits once
    for the cache's timeout, then serves pages from the database without waiting, and /healthz stays 200."""
    with hung_server() as hung_url:
        port = free_port()
        with open(tmp_path / "server-hung.log", "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                cwd=ROOT,
                env=env | {"CACHE_URL": hung_url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_port(port, process)
                reader, server = Browser(), f"http://127.0.0.1:{port}"
                for url in ["/", "/themes/", "/sessions/?year=2009", "/api/sessions/?year=2009"] + ["/meetings/"] * 4:
                    assert reader.get(server + url)[0] == 200, url
                # The page again: each worker's copy of it, kept as it rendered it, so what is timed is the cache.
                urls = ["/meetings/"] * 20
                started = time.monotonic()
                for url in urls:
                    assert reader.get(server + url)[0] == 200, url
                took = time.monotonic() - started
                status, _, body = reader.get(server + "/healthz")
                assert status == 200 and '"degraded: cache"' in body
            finally:
                stop(process)
    # At most a timeout for each worker, and one more each if the breaker's rest ran out meanwhile: not one
    # for each request (ten seconds).
    assert took < 4 * cache_backend.TIMEOUT + len(urls) * cache_backend.TIMEOUT / 4, took
    assert "The cache is unreachable" in (tmp_path / "server-hung.log").read_text()
