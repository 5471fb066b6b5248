"""The login door behind a proxy: failures counted per account and address, a per-account ceiling
of a minute at most, and no way for one client or many to lock an editor out for everyone else."""

import io
import logging
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.admin.conftest import PASSWORD, account
from tests.helpers_servers import free_port, stop, wait_for_port
from tests.test_many_servers import ROOT, Browser, fields, production_env, servers_database  # noqa: F401

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # what every request's connection comes from behind the proxy


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    # One nginx that appends the client's address to X-Forwarded-For, as docs/operations.md configures it.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


@pytest.fixture
def frank(db):
    return account("frank", "Secretariat editor")


def client_at(address, forwarded=None):
    """A browser at `address`, seen through the proxy; `forwarded` is what it put in X-Forwarded-For itself."""
    header = f"{forwarded}, {address}" if forwarded else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def sign_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def statuses(client, username, password, times):
    return [sign_in(client, username, password).status_code for _ in range(times)]


def time_passes(seconds):
    """Move every recorded failure `seconds` into the past, as if the clock had run on."""
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            row.attempt_time -= timedelta(seconds=seconds)
            row.save(update_fields=["attempt_time"])


def test_twenty_failures_from_four_addresses_do_not_lock_the_editor_out_elsewhere(frank):
    for n in range(1, 5):
        assert statuses(client_at(f"203.0.113.{n}"), "frank", "wrong", 5) == [200, 200, 200, 200, 429]
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD).status_code == 302
    # Directly on the server, without the proxy, too.
    assert sign_in(Client(REMOTE_ADDR="127.0.0.1"), "frank", PASSWORD).status_code == 302


def test_a_locked_address_is_answered_at_once_with_a_short_retry_after(frank):
    guesser = client_at("203.0.113.5")
    statuses(guesser, "frank", "wrong", 4)
    response = sign_in(guesser, "frank", "wrong")
    assert response.status_code == 429
    assert 50 <= int(response["Retry-After"]) <= 60
    assert "waits <strong>60 seconds</strong>" in response.content.decode()
    refused = sign_in(guesser, "frank", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 60


def test_the_wait_grows_only_for_the_address_that_keeps_failing(frank):
    guesser = client_at("203.0.113.5")
    statuses(guesser, "frank", "wrong", 5)
    waits = []
    for _ in range(8):
        time_passes(int(sign_in(guesser, "frank", "wrong")["Retry-After"]) if waits else 60)
        response = sign_in(guesser, "frank", "wrong")
        assert response.status_code == 429
        waits.append(int(response["Retry-After"]))
    # A minute doubled with each failure after the fifth, at most an hour.
    assert waits == [120, 240, 480, 960, 1920, 3600, 3600, 3600]
    # Refused tries are not counted: they do not lengthen the wait.
    assert int(sign_in(guesser, "frank", "wrong")["Retry-After"]) <= 3600
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD).status_code == 302


def test_slow_guessing_with_changing_user_agents_is_still_counted_for_the_day(frank):
    for n in range(4):
        browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_USER_AGENT=f"browser {n}")
        assert sign_in(browser, "frank", "wrong").status_code == 200
        time_passes(3 * 60 * 60)
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_USER_AGENT="browser 4")
    assert sign_in(browser, "frank", "wrong").status_code == 429
    time_passes(24 * 60 * 60)
    assert sign_in(browser, "frank", PASSWORD).status_code == 302


def test_a_wait_ends_by_itself_and_a_success_forgets_the_failures(frank):
    guesser = client_at("203.0.113.5")
    statuses(guesser, "frank", "wrong", 5)
    time_passes(61)
    assert sign_in(guesser, "frank", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="frank").exists()
    # Five fresh failures are needed for the next lock.
    assert statuses(client_at("203.0.113.5"), "frank", "wrong", 5) == [200, 200, 200, 200, 429]


def test_guessing_spread_over_many_addresses_meets_a_ceiling_of_a_minute(settings, frank):
    settings.ACCOUNT_FAILURE_LIMIT = 12
    editors_office = client_at("198.51.100.9")
    assert sign_in(editors_office, "frank", PASSWORD).status_code == 302
    for n in range(1, 4):
        statuses(client_at(f"203.0.113.{n}"), "frank", "wrong", 4)
    # Twelve failures within a minute: any new address waits, a minute at most, right password or not.
    refused = sign_in(client_at("198.51.100.7"), "frank", PASSWORD)
    assert refused.status_code == 429
    assert 50 <= int(refused["Retry-After"]) <= 60
    assert sign_in(client_at("203.0.113.50"), "frank", "wrong").status_code == 429
    # The refusals were not counted, the editor's usual address is let through, other accounts are untouched.
    assert AccessFailureLog.objects.filter(username="frank").count() == 12
    assert sign_in(client_at("198.51.100.9"), "frank", PASSWORD).status_code == 302
    account("gina", "Secretariat editor")
    assert sign_in(client_at("198.51.100.7"), "gina", PASSWORD).status_code == 302
    time_passes(int(refused["Retry-After"]))
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD).status_code == 302


def test_the_failure_log_keeps_the_latest_failures_the_ceiling_counts(settings, frank):
    settings.ACCOUNT_FAILURE_LIMIT = settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 7
    for n in range(1, 3):
        statuses(client_at(f"203.0.113.{n}"), "frank", "wrong", 3)
    # Older failures stored after them (as the database may reuse space), then one more failure.
    older = AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="frank", ip_address="192.0.2.1", user_agent="") for _ in range(10)
    )
    AccessFailureLog.objects.filter(pk__in=[row.pk for row in older]).update(
        attempt_time=timezone.now() - timedelta(days=1)
    )
    sign_in(client_at("203.0.113.3"), "frank", "wrong")
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {f"203.0.113.{n}" for n in (1, 2, 3)}
    assert AccessFailureLog.objects.count() == 7
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD).status_code == 429


def test_one_client_cannot_lock_out_every_editor(settings, frank):
    settings.ACCOUNT_FAILURE_LIMIT = 10
    editors = [frank] + [account(name, "Secretariat editor") for name in ("gina", "hugo")]
    guesser = client_at("203.0.113.5")
    for editor in editors:
        statuses(guesser, editor.username, "wrong", 15)  # past its lock, and past the ceiling if refusals counted
    for editor in editors:
        assert sign_in(client_at("198.51.100.7"), editor.username, PASSWORD).status_code == 302


def test_forged_forwarded_addresses_neither_share_nor_dodge_a_lock(frank):
    # Dodge: a client that writes a new address of its own before each try is still one client.
    for n in range(5):
        sign_in(client_at("203.0.113.5", forwarded=f"192.0.2.{n}"), "frank", "wrong")
    assert sign_in(client_at("203.0.113.5", forwarded="192.0.2.99"), "frank", PASSWORD).status_code == 429
    assert sign_in(client_at("203.0.113.5", forwarded="unknown, 192.0.2.99"), "frank", PASSWORD).status_code == 429
    # Share: another client that writes the same entries is not locked with it.
    assert sign_in(client_at("198.51.100.7", forwarded="192.0.2.0"), "frank", PASSWORD).status_code == 302
    assert sign_in(client_at("198.51.100.8", forwarded="unknown, 192.0.2.0"), "frank", PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_a_load_balancer_the_client_is_the_entry_the_proxies_did_not_write(settings, frank):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    load_balancer = "10.0.0.9"
    for n in range(5):
        sign_in(client_at(load_balancer, forwarded=f"192.0.2.{n}, 203.0.113.5"), "frank", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in(client_at(load_balancer, forwarded="203.0.113.5"), "frank", PASSWORD).status_code == 429
    assert sign_in(client_at(load_balancer, forwarded="192.0.2.0, 198.51.100.7"), "frank", PASSWORD).status_code == 302


def test_a_secretariat_admin_sees_the_lock_and_lifts_it(secretariat_admin, frank):
    guesser = client_at("203.0.113.5")
    statuses(guesser, "frank", "wrong", 5)
    attempts = secretariat_admin.get("/admin/axes/accessattempt/").content.decode()
    assert "frank" in attempts and "203.0.113.5" in attempts and "Locked Out" in attempts
    assert "Waits until" in attempts
    waits_until = admin.site._registry[AccessAttempt].waits_until(AccessAttempt.objects.get())
    assert timezone.now() + timedelta(seconds=50) < waits_until <= timezone.now() + timedelta(seconds=60)
    failures = secretariat_admin.get("/admin/axes/accessfailurelog/").content.decode()
    assert failures.count("203.0.113.5") >= 5
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    lifted = secretariat_admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert lifted.status_code == 302
    assert sign_in(guesser, "frank", PASSWORD).status_code == 302
    # Or from the command line.
    statuses(guesser, "frank", "wrong", 5)
    call_command("axes_reset_username", "frank", stdout=io.StringIO())
    assert sign_in(guesser, "frank", PASSWORD).status_code == 302
    # The admin's own clean-up forgets only what no longer counts.
    statuses(client_at("203.0.113.6"), "frank", "wrong", 5)
    cleaned = secretariat_admin.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [str(AccessAttempt.objects.get().pk)]},
    )
    assert cleaned.status_code == 302
    assert sign_in(client_at("203.0.113.6"), "frank", PASSWORD).status_code == 429


def test_a_failed_sign_in_is_logged_with_the_account_and_the_address(frank, settings):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    loggers = [logging.getLogger("axes"), logging.getLogger("gfmd.login")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        sign_in(client_at("203.0.113.5"), "frank", "wrong")
        settings.AXES_SENSITIVE_PARAMETERS = ["ip_address"]
        statuses(client_at("203.0.113.5"), "frank", "wrong", 5)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    failures = [record.getMessage() for record in records if "login failure" in record.getMessage()]
    assert 'username: "frank"' in failures[0] and 'ip_address: "203.0.113.5"' in failures[0]
    assert 'username: "frank"' in failures[1] and "203.0.113.5" not in failures[1]
    refusals = [record.getMessage() for record in records if "refused" in record.getMessage()]
    assert len(refusals) == 2  # the fifth failure, then the sixth try
    assert 'username: "frank"' in refusals[0] and "waits 60 seconds" in refusals[0]


def test_the_proxy_count_and_the_ceiling_are_read_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AXES_IPWARE_PROXY_COUNT, settings.ACCOUNT_FAILURE_LIMIT)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gfmd.settings", "DEBUG": "true", "AXES_IPWARE_PROXY_COUNT": "1"}
    env["ACCOUNT_FAILURE_LIMIT"] = "50"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "1 50"
    env["AXES_IPWARE_PROXY_COUNT"] = "-1"
    assert (
        "cannot be negative"
        in subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stderr
    )


def test_a_production_server_behind_one_proxy_keeps_the_editor_in(request, tmp_path):
    """The attack as it was reported, on gunicorn with DEBUG off and PostgreSQL, the proxy count from the
    environment: twenty failures from four addresses, forged entries, then the editor from elsewhere."""
    if connection.vendor != "postgresql":
        pytest.skip("the deployment runs on PostgreSQL; on SQLite the test client's tests above cover the rules")
    database_url = request.getfixturevalue("servers_database")
    env = production_env(database_url, "", tmp_path / "static") | {"AXES_IPWARE_PROXY_COUNT": "0"}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)
    editor_env = env | {"GFMD_EDITOR_PASSWORD": PASSWORD}
    subprocess.run([*manage, "create_editor", "olga", "--no-input"], cwd=ROOT, env=editor_env, check=True, timeout=120)
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, server)
            served = ServedSignIn(f"http://127.0.0.1:{port}")
            for n in range(1, 5):
                tries = [served.sign_in(f"203.0.113.{n}", "wrong") for _ in range(5)]
                assert [status for status, _ in tries] == [200, 200, 200, 200, 429]
                assert 50 <= int(tries[-1][1]["Retry-After"]) <= 60
            # Forged entries: the same client is still locked, another one with the same entries is not.
            assert served.sign_in("192.0.2.7, 203.0.113.1", PASSWORD)[0] == 429
            assert served.sign_in("192.0.2.7, 198.51.100.8", PASSWORD)[0] == 302
            assert served.sign_in("198.51.100.7", PASSWORD)[0] == 302
            assert served.sign_in(None, PASSWORD)[0] == 302  # directly on the server
        finally:
            stop(server)
    logged = (tmp_path / "server.log").read_text()
    assert 'username: "olga", ip_address: "203.0.113.4"' in logged
    assert "refused: waits" in logged


class ServedSignIn:
    def __init__(self, origin):
        self.origin = origin

    def sign_in(self, forwarded, password):
        """A new browser whose proxy sends `forwarded` as X-Forwarded-For (None: no proxy): status, headers."""
        browser, headers = Browser(), {"X-Forwarded-For": forwarded} if forwarded else {}
        page = browser.open(urllib.request.Request(self.origin + "/admin/login/", headers=headers))[2]
        data = {"csrfmiddlewaretoken": fields(page)["csrfmiddlewaretoken"], "username": "olga", "password": password}
        url = self.origin + "/admin/login/?next=/admin/"
        request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers)
        status, headers, _ = browser.open(request)
        return status, headers
