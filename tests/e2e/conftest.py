"""A real headless Chromium, driven by Playwright, against the site served on localhost.

Browsing tests share one server over the content the root conftest loads and
commits once; they only read it, so no flush or reload is needed between them.
Tests that write through the browser use pytest-django's `live_server`, whose
transactional teardown empties the tables; `content` loads them again first.
"""

import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

CHROMIUM = "/usr/bin/chromium"
# Without the network flags Chromium calls Google's services at start, which fails where the network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def chromium_or_skip():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install -e '.[test]')")


@pytest.fixture(scope="session")
def reading_server(django_db_setup, django_db_blocker):
    """One server for the tests that only read; it sees what the test database has committed."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def committed_content(django_db_setup, django_db_blocker):
    """The real content, committed, so that the reading server sees it: a test that wrote through the
    browser (its teardown empties the tables) may have run before on this process."""
    from sessions.models import Meeting
    from tests.conftest import restore_real_content

    with django_db_blocker.unblock():
        if not Meeting.objects.exists():
            restore_real_content()


@pytest.fixture
def site(committed_content, db, reading_server):
    """The reading server's address, and the settings it needs for this test only: the settings are the
    process's, and the tests this process runs next expect its own."""
    # What pytest-django's own live_server does per test: let the server's host past ALLOWED_HOSTS.
    reading_server._live_server_modified_settings.enable()
    # The address readers use is the server's: the pages' absolute links lead back to it.
    at_its_address = override_settings(SITE_URL=reading_server.url)
    at_its_address.enable()
    yield reading_server.url
    at_its_address.disable()
    reading_server._live_server_modified_settings.disable()


@pytest.fixture
def content(transactional_db):
    """The real content, for a transactional test: an earlier one may have flushed it."""
    from sessions.models import Meeting
    from tests.conftest import restore_real_content

    if not Meeting.objects.exists():
        restore_real_content()


# Runs the browser server in a process group of its own and stops the whole group, Playwright's driver and
# Chromium with it, when its standard input closes: at the end of the session, or when the test process dies.
SERVER_WATCH = (
    "import os, signal, subprocess, sys; subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL); "
    "sys.stdin.read(); os.killpg(0, signal.SIGTERM)"
)


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory):
    """One Chromium for the whole test process, behind Playwright's browser server: starting Chromium for each
    test took about half a second of each. Each test still opens its own browser context, as fresh as a newly
    started browser's."""
    chromium_or_skip()
    config = tmp_path_factory.mktemp("chromium") / "launch.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": CHROMIUM_ARGS}))
    launch = [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium", "--config", str(config)]
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_WATCH, *launch],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        endpoint = server.stdout.readline().strip()
        assert endpoint.startswith("ws://"), f"Playwright's browser server did not start: {endpoint!r}"
        yield endpoint
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()


@pytest.fixture
def browser(browser_server):
    """The process's Chromium, through a Playwright of this test's own.

    Playwright's synchronous API keeps an event loop running in this thread
    while it is open, and Django refuses ORM calls under a running loop: a
    test asks for its database fixture (`site`, `content`) before `page`, so
    that the connection is closed before the database is rolled back or
    flushed, and reads the database only before the page opens.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.connect(browser_server)
        yield browser
        # Closes what this test opened; Chromium goes on for the next test.
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def main_pages(site):
    """One page of each kind the public reads; asked for before `page`, as it reads the database."""
    from recommendations.models import ProposedActivity, Recommendation
    from sessions.models import Session

    session = Session.objects.select_related("meeting").get(meeting__slug="athens-2009", slug="csd-4-1")
    recommendation = Recommendation.objects.filter(children__isnull=False).first()
    activity = ProposedActivity.objects.first()
    return [
        "/",
        "/search/?q=migrant+workers",
        "/meetings/",
        "/meetings/athens-2009/",
        session.get_absolute_url(),
        # A plan with its links by editors: the session it was held as, with the note and the quote.
        "/meetings/mauritius-2012/sessions/planned-4-2/",
        "/sessions/",
        "/recommendations/?year=2009&track=civil-society",
        recommendation.get_absolute_url(),
        "/activities/",
        activity.get_absolute_url(),
        "/activities/expertise/",
        "/gmg/",
        "/gmg/IOM/",
        "/themes/",
        "/themes/labour-mobility/",
        "/sources/",
        "/sources/athens-2009-csd-synthesis/",
        "/data/",
        "/api/",
        # The other languages: their switcher, their notes on quotations, their translated vocabulary.
        "/fr/meetings/athens-2009/",
        "/es/activities/?gmg_member=IOM",
    ]
