"""What a newcomer meets: README commands that run outside make, a favicon, 405 for methods a page does not answer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gfmd.env import read_env_file

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_runs_without_debug_or_a_secret_key_in_the_environment():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY is not set" not in result.stderr


@pytest.mark.parametrize("command", ["create_editor", "load_gfmd", "check_content", "export_gfmd"])
def test_every_command_the_readme_names_starts_outside_make(command):
    assert f"manage.py {command}" in (ROOT / "README.md").read_text()
    result = run_manage(command, "--help")
    assert result.returncode == 0, result.stderr


def test_the_development_defaults_set_debug():
    assert read_env_file(ROOT / ".env.example")["DEBUG"] == "true"


def test_an_env_file_is_read_as_name_value_lines(tmp_path):
    path = tmp_path / ".env"
    path.write_text('# a comment\n\nDEBUG=true\nexport CACHE_URL="redis://127.0.0.1:6379/0"\nEMPTY=\n')
    assert read_env_file(path) == {"DEBUG": "true", "CACHE_URL": "redis://127.0.0.1:6379/0", "EMPTY": ""}


def test_a_malformed_env_file_line_is_named(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    path = tmp_path / ".env"
    path.write_text("DEBUG true\n")
    with pytest.raises(ImproperlyConfigured, match="line 1"):
        read_env_file(path)


@pytest.mark.django_db
def test_the_site_has_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["options", "trace"])
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/sessions/",
        "/api/sessions/",
        "/meetings/athens-2009/",
        "/themes/",
        "/robots.txt",
        "/sitemap.xml",
        "/healthz",
    ],
)
def test_a_method_a_page_does_not_answer_is_a_405(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_head_is_still_answered(client):
    assert client.head("/sessions/").status_code == 200


def test_make_run_serves_on_the_port_asked_for():
    dry_run = subprocess.run(["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "runserver 127.0.0.1:8001" in dry_run.stdout
