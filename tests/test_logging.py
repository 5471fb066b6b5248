"""What an operator finds in the log: each request on a line, each server error with its traceback."""

import os
import subprocess
import sys
from pathlib import Path

from gfmd.env import env_admins

ROOT = Path(__file__).resolve().parent.parent

# Runs with production settings in a process of its own, so that the logging configured at start-up
# writes to a real stderr.
FAILING_REQUEST = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.failing_urls"):
    response = Client(raise_request_exception=False).get("/fail/?asked=by-a-test", secure=True)
print(response.status_code)
print(response.content.decode())
"""


def run_production(code, tmp_path, **env):
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "CACHE_URL", "ADMINS"}
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY="t" * 60,  # a test-only key
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="gfmd.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_server_error_leaves_its_traceback_and_request_on_stderr(tmp_path):
    result = run_production(FAILING_REQUEST, tmp_path)
    status, _, page = result.stdout.partition("\n")
    assert status == "500"
    assert "has been logged" in page
    log = result.stderr
    assert "Traceback (most recent call last)" in log
    assert 'raise RuntimeError("a failure only tests cause")' in log
    assert "RuntimeError: a failure only tests cause" in log
    assert "ERROR django.request [GET /fail/?asked=by-a-test] Internal Server Error: /fail/" in log
    # And the request's own line, with its status and time.
    request_lines = [line for line in log.splitlines() if "gfmd.requests" in line]
    assert len(request_lines) == 1
    assert " GET /fail/?asked=by-a-test 500 " in request_lines[0] and request_lines[0].endswith("ms")


def test_server_errors_are_mailed_to_the_admins_when_they_are_set(tmp_path):
    code = FAILING_REQUEST.replace(
        'with override_settings(ROOT_URLCONF="tests.failing_urls"):',
        'with override_settings(ROOT_URLCONF="tests.failing_urls", '
        'EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"):',
    )
    result = run_production(code, tmp_path, ADMINS="Ops <ops@example.org>")
    # The console mail backend prints the message it would send.
    assert "To: ops@example.org" in result.stdout
    assert "Subject: [Django] ERROR (EXTERNAL IP): Internal Server Error: /fail/" in result.stdout
    assert "RuntimeError" in result.stdout


def test_admins_are_read_as_addresses(monkeypatch):
    monkeypatch.setenv("ADMINS", "Ops <ops@example.org>, alice@example.org")
    assert env_admins("ADMINS") == [("Ops", "ops@example.org"), ("alice@example.org", "alice@example.org")]


BAD_HOST_REQUEST = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
from django.conf import settings
# The 400 page names its style sheet: no collected files in a test, so the plain storage.
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", STORAGES=storages):
    print(Client().get("/", HTTP_HOST="evil.example:99999").status_code)
"""


def test_a_bad_host_header_is_logged_and_not_mailed(tmp_path):
    result = run_production(BAD_HOST_REQUEST, tmp_path, ADMINS="Ops <ops@example.org>")
    assert result.stdout.strip() == "400"
    assert "To: ops@example.org" not in result.stdout
    assert "django.security.DisallowedHost [GET /] Invalid HTTP_HOST header: 'evil.example:99999'" in result.stderr


def test_mail_to_the_admins_waits_a_few_seconds_for_the_mail_server_at_most(settings):
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT == 5
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == 5
