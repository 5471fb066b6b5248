"""Who may do what in the admin, and the locks on its door."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sessions.models import Session
from tests.admin.conftest import PASSWORD, account

pytestmark = pytest.mark.django_db


def test_the_public_is_sent_to_the_login_page(anonymous):
    response = anonymous.get("/admin/gfmd_sessions/session/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_signed_in_member_of_the_public_is_not_let_in(db):
    client = Client()
    client.force_login(User.objects.create_user("reader", password=PASSWORD))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_editor_adds_and_changes_but_cannot_delete(editor, session):
    assert editor.get("/admin/gfmd_sessions/session/add/").status_code == 200
    assert editor.get(f"/admin/gfmd_sessions/session/{session.pk}/change/").status_code == 200
    assert editor.get(f"/admin/gfmd_sessions/session/{session.pk}/delete/").status_code == 403
    assert editor.post(f"/admin/gfmd_sessions/session/{session.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Session.objects.filter(pk=session.pk).exists()
    changelist = editor.get("/admin/gfmd_sessions/session/").content.decode()
    assert "delete_selected" not in changelist


def test_an_editor_edits_events_and_passages_but_no_derived_table(editor):
    assert editor.get("/admin/gfmd_sessions/event/add/").status_code == 200
    assert editor.get("/admin/gfmd_sessions/passage/add/").status_code == 200
    codenames = set(Group.objects.get(name="Secretariat editor").permissions.values_list("codename", flat=True))
    assert {"change_event", "add_passage"} <= codenames
    assert not codenames & {"change_searchdocument", "change_tagsnapshot", "change_contentrevision"}


def test_an_editor_cannot_manage_accounts(editor):
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/user/add/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403


def test_a_secretariat_admin_deletes_records_and_manages_accounts(secretariat_admin, session):
    assert secretariat_admin.get("/admin/auth/user/").status_code == 200
    assert secretariat_admin.get("/admin/auth/user/add/").status_code == 200
    response = secretariat_admin.post(f"/admin/gfmd_sessions/session/{session.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_the_roles_exist_after_migrating():
    editor = Group.objects.get(name="Secretariat editor")
    codenames = set(editor.permissions.values_list("codename", flat=True))
    assert {"add_session", "change_session", "view_session", "change_recommendation", "add_tag"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_")}
    assert not {c for c in codenames if c.endswith("_user")}
    admin = set(Group.objects.get(name="Secretariat admin").permissions.values_list("codename", flat=True))
    assert {"delete_session", "add_user", "change_user", "delete_user", "change_group"} <= admin


def test_create_editor_makes_an_account_that_can_sign_in(monkeypatch):
    monkeypatch.setenv("GFMD_EDITOR_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_editor", "dora", "--email", "dora@example.org", "--no-input", stdout=out)
    user = User.objects.get(username="dora")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Secretariat editor"]
    assert "Created dora as a secretariat editor" in out.getvalue()
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "dora", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("GFMD_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "eve", "--no-input", stdout=io.StringIO())
    assert not User.objects.filter(username="eve").exists()


def test_the_login_locks_after_repeated_failures(db):
    account("frank", "Secretariat editor")
    client = Client()
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "frank", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "frank", "password": "wrong"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    # Locked: even the right password is refused until the lock expires or an admin lifts it.
    response = client.post("/admin/login/", {"username": "frank", "password": PASSWORD})
    assert response.status_code == 429


def test_admin_pages_ask_not_to_be_indexed(anonymous, editor):
    response = anonymous.get("/admin/login/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert editor.get("/admin/")["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in anonymous.get("/")


def test_the_admin_is_titled_for_the_knowledge_base(editor):
    page = editor.get("/admin/").content.decode()
    assert "GFMD Knowledge Base" in page
    assert "Secretariat editing" in page


def test_create_editor_without_a_terminal_points_to_its_non_interactive_option(monkeypatch):
    # Run by a script or a container without a terminal, it said nothing useful: a traceback from getpass.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="no terminal to ask for the password on: set GFMD_EDITOR_PASSWORD"):
        call_command("create_editor", "gina", stdout=io.StringIO())
    assert not User.objects.filter(username="gina").exists()
