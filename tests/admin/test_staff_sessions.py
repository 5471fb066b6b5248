"""A staff session lasts a working day from the editor's last request, not two weeks from signing in."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db

WORKING_DAY = datetime.timedelta(hours=8)


def expiry_of(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_a_session_ends_eight_hours_after_signing_in(editor):
    assert editor.get("/admin/").status_code == 200
    left = expiry_of(editor) - timezone.now()
    assert WORKING_DAY - datetime.timedelta(minutes=1) < left <= WORKING_DAY


def test_each_request_gives_the_session_another_eight_hours(editor):
    editor.get("/admin/")
    # As if the editor's last request had been seven hours ago: one hour left.
    Session.objects.filter(session_key=editor.cookies["sessionid"].value).update(
        expire_date=timezone.now() + datetime.timedelta(hours=1)
    )
    assert editor.get("/admin/").status_code == 200
    assert expiry_of(editor) - timezone.now() > WORKING_DAY - datetime.timedelta(minutes=1)
    assert editor.cookies["sessionid"]["max-age"] == WORKING_DAY.total_seconds()


def test_a_session_left_alone_for_eight_hours_signs_the_editor_out(editor):
    editor.get("/admin/")
    Session.objects.filter(session_key=editor.cookies["sessionid"].value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = editor.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", ""])
def test_a_sign_in_whose_next_leaves_the_site_lands_on_the_admin(editor_user, client, next_url):
    from tests.admin.conftest import PASSWORD

    response = client.post(f"/admin/login/?next={next_url}", {"username": editor_user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
