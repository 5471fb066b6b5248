"""The secretariat's path: log in to the admin, correct a session, see it on the public page and in its history."""

import re

import pytest
from django.contrib.auth.models import User

from sessions.models import Session

pytestmark = pytest.mark.e2e

PUBLIC = "/meetings/athens-2009/sessions/csd-2-1/"
PASSWORD = "a long enough test password"


@pytest.fixture
def edited_session(content):
    return Session.objects.get(meeting__slug="athens-2009", slug="csd-2-1")


@pytest.fixture
def editor_account(content, settings):
    # The live server speaks plain HTTP, where a browser drops cookies marked secure.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return User.objects.create_superuser("dora", "dora@example.org", PASSWORD, first_name="Dora")


def test_an_editor_corrects_a_session_title_and_sees_it_public_and_in_the_history(
    live_server, edited_session, editor_account, page
):
    pk, title = edited_session.pk, edited_session.title
    corrected = f"{title} (corrected)"
    site = live_server.url

    page.goto(site + "/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator("#id_username").fill("dora")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")

    page.goto(f"{site}/admin/gfmd_sessions/session/{pk}/change/")
    title_field = page.locator("#id_title")
    assert title_field.input_value() == title
    title_field.fill(corrected)
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/gfmd_sessions/session/(\?.*)?$"))
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()

    page.goto(site + PUBLIC)
    assert " ".join(page.get_by_role("heading", level=1).inner_text().split()) == f"2.1 {corrected}"
    assert page.title().startswith(f"2.1 {corrected}")

    page.goto(f"{site}/admin/gfmd_sessions/session/{pk}/history/")
    history = page.locator("#content")
    assert corrected in history.inner_text()
    rows = page.locator("table#change-history tbody tr")
    assert rows.count() >= 1
    assert re.search(r"\bdora\b|\bDora\b", rows.all_inner_texts()[0] + rows.all_inner_texts()[-1])
