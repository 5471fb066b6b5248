"""Nothing an editor or a secretariat admin does is lost for good: deletions that would take other
records are refused with the list, a deleted record comes back from its history, a revert restores links."""

import pytest
from taggit.models import Tag

from recommendations.models import Recommendation
from sessions.models import Meeting, Milestone, Session
from tests.admin.conftest import form_data
from themes.models import Theme

pytestmark = pytest.mark.django_db


def admin_url(obj, view):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_deleting_a_meeting_with_sessions_is_refused_with_what_depends_on_it(secretariat_admin):
    athens = Meeting.objects.get(slug="athens-2009")
    page = secretariat_admin.get(admin_url(athens, "delete"))
    text = page.content.decode()
    assert "would require deleting the following protected related objects" in text
    assert "Session: 2009 " in text and "Recommendation: 2009 " in text
    response = secretariat_admin.post(admin_url(athens, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert Meeting.objects.filter(slug="athens-2009").exists()
    assert Session.objects.filter(meeting=athens).count() == 10


def test_a_bulk_deletion_that_would_take_other_records_is_refused(secretariat_admin):
    athens = Meeting.objects.get(slug="athens-2009")
    response = secretariat_admin.post(
        "/admin/gfmd_sessions/meeting/",
        {"action": "delete_selected", "_selected_action": [str(athens.pk)], "post": "yes"},
    )
    assert "protected related objects" in response.content.decode()
    assert Meeting.objects.filter(slug="athens-2009").exists()


def test_deleting_a_theme_that_records_carry_is_refused(secretariat_admin):
    theme = Theme.objects.filter(sessions__isnull=False).first()
    response = secretariat_admin.post(admin_url(theme, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert "Session: " in response.content.decode()
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_deleting_a_roundtable_inline_that_has_sessions_is_refused(secretariat_admin, session):
    meeting = session.meeting
    data = form_data(secretariat_admin.get(admin_url(meeting, "change")))
    data["roundtables-0-DELETE"] = "on"
    response = secretariat_admin.post(admin_url(meeting, "change"), data)
    assert response.status_code == 200
    assert "cannot be deleted: these depend on it" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_a_tag_on_records_is_refused_merging_is_the_way(secretariat_admin, session):
    session.tags.add("kept subject")
    tag = Tag.objects.get(name="kept subject")
    response = secretariat_admin.post(admin_url(tag, "delete"), {"post": "yes"})
    assert "Merge it into another tag instead" in response.content.decode()
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_a_deleted_record_comes_back_from_its_history_with_its_links(secretariat_admin, anonymous, session, theme):
    # A session on its own (no recommendations): deleting it is allowed, and undone from its history.
    session.themes.add(theme)
    session.tags.add("restored subject")
    pk = session.pk
    response = secretariat_admin.post(admin_url(session, "delete"), {"post": "yes"}, follow=True)
    assert "It can be restored from" in response.content.decode()
    assert not Session.objects.filter(pk=pk).exists()
    assert anonymous.get("/meetings/testville-2099/sessions/1-1/").status_code == 404

    history = secretariat_admin.get(f"/admin/gfmd_sessions/session/{pk}/history/")
    assert history.status_code == 200
    last = Session.history.filter(id=pk).exclude(history_type="-").latest("history_date", "history_id")
    revert_url = f"/admin/gfmd_sessions/session/{pk}/history/{last.history_id}/"
    response = secretariat_admin.post(revert_url, form_data(secretariat_admin.get(revert_url)))
    assert response.status_code == 302
    restored = Session.objects.get(pk=pk)
    assert restored.title == "A test session"
    assert list(restored.themes.all()) == [theme]
    assert list(restored.tags.names()) == ["restored subject"]
    page = anonymous.get("/meetings/testville-2099/sessions/1-1/").content.decode()
    assert "A test session" in page and "restored subject" in page


def test_a_deleted_milestone_comes_back_from_its_history(secretariat_admin, meeting, source):
    milestone = Milestone.objects.create(meeting=meeting, position=1, when="May 2099", text="Kept.", source=source)
    milestone.text = "Changed."
    milestone.save()
    pk = milestone.pk
    assert secretariat_admin.post(admin_url(milestone, "delete"), {"post": "yes"}).status_code == 302
    # Restored from its first version: the text of then, counted as the version after its last.
    first = Milestone.history.filter(id=pk).earliest("history_date", "history_id")
    revert_url = f"/admin/gfmd_sessions/milestone/{pk}/history/{first.history_id}/"
    assert secretariat_admin.post(revert_url, form_data(secretariat_admin.get(revert_url))).status_code == 302
    restored = Milestone.objects.get(pk=pk)
    assert (restored.text, restored.version) == ("Kept.", 3)


def test_reverting_to_the_first_version_keeps_the_links_it_had(editor, theme, source, roundtable):
    # Created through the admin with a theme, a second source and a tag: all are part of version 1.
    other = source.__class__.objects.create(slug="other-source", title="Another source", kind="report")
    response = editor.post(
        "/admin/gfmd_sessions/session/add/",
        {
            "roundtable": str(roundtable.pk),
            "number": "1.5",
            "title": "First words",
            "themes": [str(theme.pk)],
            "tags": "first subject,",
            "source": str(source.pk),
            "other_sources": [str(other.pk)],
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "links_out-TOTAL_FORMS": "0",
            "links_out-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get(roundtable=roundtable, number="1.5")
    data = form_data(editor.get(admin_url(session, "change")))
    data |= {"title": "Second words", "themes": [], "other_sources": [], "tags": "second subject,"}
    assert editor.post(admin_url(session, "change"), data).status_code == 302
    assert not session.themes.exists()

    first = session.history.earliest("history_date")
    revert_url = admin_url(session, "history").replace("/history/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    session.refresh_from_db()
    assert session.title == "First words"
    assert list(session.themes.all()) == [theme]
    assert list(session.other_sources.all()) == [other]
    assert list(session.tags.names()) == ["first subject"]


def test_a_revert_of_a_loaded_record_keeps_its_themes(editor):
    # Of a web page, of which no text is stored: a title no source prints is saved (tests/test_reader.py).
    session = Session.objects.filter(themes__isnull=False, source__kind="web-page").distinct().first()
    themes = set(session.themes.all())
    data = form_data(editor.get(admin_url(session, "change")))
    data["title"] = "Changed"
    assert editor.post(admin_url(session, "change"), data).status_code == 302
    first = session.history.earliest("history_date")
    revert_url = admin_url(session, "history").replace("/history/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    assert set(session.themes.all()) == themes


def test_a_recommendation_s_sub_points_keep_it_from_being_deleted(secretariat_admin):
    parent = Recommendation.objects.filter(children__isnull=False).first()
    response = secretariat_admin.post(admin_url(parent, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert Recommendation.objects.filter(pk=parent.pk).exists()
