import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gfmd.env import env_bool, env_database, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_a_boolean_that_is_not_true_or_false_is_rejected(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("Yes", True), ("", False)])
def test_booleans_read_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", default=False) is expected


def test_allowed_hosts_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org, www.example.org")
    assert env_list("ALLOWED_HOSTS", default=[]) == ["example.org", "www.example.org"]


def test_an_empty_host_in_the_list_is_rejected(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org,,www.example.org")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("ALLOWED_HOSTS", default=[])


def test_no_database_url_means_the_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", sqlite_path=Path("db.sqlite3"))
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": Path("db.sqlite3"), "CONN_MAX_AGE": 60}


def test_a_postgres_url_is_split_into_its_parts(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://kb:s%40cret@db.example.org:5433/gfmd")
    config = env_database("DATABASE_URL", sqlite_path=Path("db.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "gfmd",
        "kb",
        "s@cret",
        "db.example.org",
        "5433",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/gfmd", "only postgres:// and sqlite:///"),
        ("postgres://user@localhost:5432/", "names no database"),
        ("postgres://user@localhost:port/gfmd", "port that is not a number"),
    ],
)
def test_a_malformed_database_url_is_rejected(monkeypatch, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_database("DATABASE_URL", sqlite_path=Path("db.sqlite3"))


def run_settings(**environ):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}} | environ
    return subprocess.run(
        [sys.executable, "-c", "import gfmd.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_start_up_stops_without_a_secret_key_when_debug_is_off():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_accepts_a_secret_key_with_debug_off():
    assert run_settings(SECRET_KEY="x" * 50).returncode == 0


def test_start_up_rejects_a_malformed_debug_value():
    result = run_settings(DEBUG="sometimes")
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


def test_a_cache_url_of_an_unknown_kind_is_rejected(monkeypatch):
    from gfmd.env import env_cache

    monkeypatch.setenv("CACHE_URL", "ftp://cache.example.org")
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        env_cache("CACHE_URL")


def test_a_redis_cache_url_selects_the_redis_backend(monkeypatch):
    from gfmd.env import env_cache

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert env_cache("CACHE_URL")["BACKEND"] == "lib.cache.ForgivingRedisCache"


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-for-check-deploy-0123456789",
    "ALLOWED_HOSTS": "gfmd.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}} | PRODUCTION
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_secret_is_committed():
    import re

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    pattern = re.compile(r"(SECRET_KEY\s*=\s*['\"][^'\"]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY)")
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".py", ".yaml", ".toml", ".cfg", ".ini", ".env", ".md"} and path.is_file():
            assert not pattern.search(path.read_text(errors="ignore")), name
