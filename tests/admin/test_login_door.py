"""The login door behind a proxy: each client is told apart, guessing over many addresses is capped,
and no single client can lock an editor out for everyone else."""

import pytest
from django.test import Client

from tests.admin.conftest import PASSWORD, account

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # what every request's connection comes from behind the proxy


@pytest.fixture
def behind_one_proxy(settings):
    # One nginx that appends the client's address to X-Forwarded-For, as docs/operations.md configures it.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def client_at(address, forwarded=None):
    """A browser at `address`, seen through the proxy; `forwarded` is what it put in X-Forwarded-For itself."""
    header = f"{forwarded}, {address}" if forwarded else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def sign_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}).status_code


def test_a_client_that_fails_five_times_is_locked_out_but_the_editor_still_signs_in_elsewhere(behind_one_proxy):
    account("frank", "Secretariat editor")
    guesser = client_at("203.0.113.5")
    # The fifth failure is answered with the lock.
    assert [sign_in(guesser, "frank", "wrong") for _ in range(5)] == [200, 200, 200, 200, 429]
    assert sign_in(guesser, "frank", PASSWORD) == 429
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD) == 302


def test_one_client_cannot_lock_out_every_editor(behind_one_proxy):
    editors = [account(name, "Secretariat editor") for name in ("frank", "gina", "hugo")]
    guesser = client_at("203.0.113.5")
    for editor in editors:
        for _ in range(40):  # far past the lock, and past the account cap if its tries were still counted
            sign_in(guesser, editor.username, "wrong")
    for editor in editors:
        assert sign_in(client_at("198.51.100.7"), editor.username, PASSWORD) == 302


def test_guessing_spread_over_addresses_is_capped_per_account(behind_one_proxy):
    account("frank", "Secretariat editor")
    for n in range(1, 5):
        guesser = client_at(f"203.0.113.{n}")
        assert [sign_in(guesser, "frank", "wrong") for _ in range(5)] == [200, 200, 200, 200, 429]
    # Twenty failures from four addresses: the account is locked everywhere, right password or not.
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD) == 429
    # Other accounts are not affected.
    account("gina", "Secretariat editor")
    assert sign_in(client_at("198.51.100.7"), "gina", PASSWORD) == 302


def test_a_forged_forwarded_address_does_not_make_a_new_client(behind_one_proxy):
    account("frank", "Secretariat editor")
    for n in range(5):
        sign_in(client_at("203.0.113.5", forwarded=f"192.0.2.{n}"), "frank", "wrong")
    assert sign_in(client_at("203.0.113.5", forwarded="192.0.2.99"), "frank", PASSWORD) == 429
    assert sign_in(client_at("198.51.100.7"), "frank", PASSWORD) == 302


def test_the_proxy_count_is_read_from_the_environment():
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.AXES_IPWARE_PROXY_COUNT)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gfmd.settings", "DEBUG": "true", "AXES_IPWARE_PROXY_COUNT": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "1"
    env["AXES_IPWARE_PROXY_COUNT"] = "-1"
    assert (
        "cannot be negative"
        in subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stderr
    )
