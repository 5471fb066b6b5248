"""The editor's console as a new editor meets it: why there is no Delete button, readable deletion lists."""

import pytest
from taggit.models import Tag

pytestmark = pytest.mark.django_db


def admin_url(obj, view):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_an_editor_is_told_why_there_is_no_delete_button_and_how_to_ask(editor, session):
    page = editor.get(admin_url(session, "change")).content.decode()
    assert admin_url(session, "delete") not in page
    assert "has no Delete button for you: only\nsecretariat admins delete records" in page
    assert "To have it deleted, ask a secretariat admin" in page
    assert admin_url(session, "change") in page


def test_a_secretariat_admin_has_the_button_and_no_note(secretariat_admin, session):
    page = secretariat_admin.get(admin_url(session, "change")).content.decode()
    assert admin_url(session, "delete") in page and "deletion-note" not in page


def test_the_tag_page_says_it_too(editor, session):
    session.tags.add("noted subject")
    page = editor.get(admin_url(Tag.objects.get(name="noted subject"), "change")).content.decode()
    assert "To have it deleted, ask a secretariat admin" in page


def test_a_deletion_lists_the_links_it_removes_by_name(secretariat_admin, recommendation, theme):
    recommendation.themes.add(theme)
    page = secretariat_admin.get(admin_url(recommendation, "delete")).content.decode()
    assert "object (" not in page
    assert f"Recommendation-theme relationship: {recommendation} – {theme}" in page
