"""Secretariat editing: changes reach the public page, stale forms are refused, history reverts."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import Q

from recommendations.models import Recommendation
from sessions.models import Roundtable, Session
from tests.admin.conftest import form_data
from themes.models import Theme

pytestmark = pytest.mark.django_db

PUBLIC = "/meetings/testville-2099/sessions/1-1/"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_an_editor_corrects_a_session_and_the_public_page_shows_it(editor, anonymous, session):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = "What the session really discussed."
    response = editor.post(change_url(session), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.discussion == "What the session really discussed."
    assert session.version == 2
    page = anonymous.get(PUBLIC)
    assert page.status_code == 200
    assert "What the session really discussed." in page.content.decode()


def test_a_session_page_in_the_admin_links_to_the_public_page(editor, session):
    page = editor.get(change_url(session)).content.decode()
    assert "View on site" in page


def test_saving_an_unchanged_form_does_not_count_as_an_edit(editor, session):
    response = editor.post(change_url(session), form_data(editor.get(change_url(session))))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.version == 1


def test_a_stale_form_is_refused_and_the_newer_text_kept(editor, second_editor, session):
    stale = form_data(editor.get(change_url(session)))
    newer = form_data(second_editor.get(change_url(session)))
    newer["discussion"] = "Bruno's correction."
    assert second_editor.post(change_url(session), newer).status_code == 302

    stale["discussion"] = "Anna's correction."
    response = editor.post(change_url(session), stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this session while you were editing it (Bruno on" in page
    assert "Discussion is now “Bruno&#x27;s correction.”; it was (empty)." in page
    assert "Your changes have not been saved" in page
    session.refresh_from_db()
    assert session.discussion == "Bruno's correction."


def test_a_stale_inline_row_is_refused(editor, second_editor, session):
    roundtable = session.roundtable
    stale = form_data(editor.get(change_url(roundtable)))
    newer = form_data(second_editor.get(change_url(session)))
    newer["title"] = "Bruno's title"
    assert second_editor.post(change_url(session), newer).status_code == 302

    stale["sessions-0-title"] = "Anna's title"
    response = editor.post(change_url(roundtable), stale)

    assert response.status_code == 200
    assert "Title is now “Bruno&#x27;s title”; it was “A test session”." in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Bruno's title"


def test_a_roundtable_edits_its_sessions_inline(editor, session):
    data = form_data(editor.get(change_url(session.roundtable)))
    data["sessions-0-discussion"] = "Edited inline."
    assert editor.post(change_url(session.roundtable), data).status_code == 302
    session.refresh_from_db()
    assert session.discussion == "Edited inline."


def test_a_session_adds_a_recommendation_inline(editor, session):
    data = form_data(editor.get(change_url(session)))
    data |= {
        "recommendations-TOTAL_FORMS": "1",
        "recommendations-0-kind": "recommendation",
        "recommendations-0-number": "1",
        "recommendations-0-position": "1",
        "recommendations-0-text": "Recommended in the session.",
    }
    assert editor.post(change_url(session), data).status_code == 302
    added = Recommendation.objects.get(session=session)
    assert (added.meeting, added.roundtable, added.source) == (session.meeting, session.roundtable, session.source)


def test_history_shows_the_change_and_a_revert_restores_the_earlier_text(editor, session, theme):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = "A wrong correction."
    data["themes"] = [str(theme.pk)]
    editor.post(change_url(session), data)

    history = editor.get(change_url(session).replace("/change/", "/history/"))
    page = history.content.decode()
    assert "A wrong correction." in page
    assert "Anna" in page

    first = session.history.earliest("history_date")
    revert_url = change_url(session).replace("/change/", f"/history/{first.history_id}/")
    response = editor.post(revert_url, form_data(editor.get(revert_url)))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.discussion == ""
    assert list(session.themes.all()) == []
    assert session.version == 3


def test_a_revert_from_an_outdated_page_is_refused(editor, second_editor, session):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = "Second version."
    editor.post(change_url(session), data)
    first = session.history.earliest("history_date")
    revert_url = change_url(session).replace("/change/", f"/history/{first.history_id}/")
    stale_revert = form_data(editor.get(revert_url))

    newer = form_data(second_editor.get(change_url(session)))
    newer["discussion"] = "Third version."
    second_editor.post(change_url(session), newer)

    response = editor.post(revert_url, stale_revert)
    assert response.status_code == 200
    assert "Someone else saved this session" in response.content.decode()
    session.refresh_from_db()
    assert session.discussion == "Third version."


def test_the_admin_index_shows_everyone_s_recent_changes(editor, second_editor, session):
    data = form_data(second_editor.get(change_url(session)))
    data["discussion"] = "Changed by Bruno."
    second_editor.post(change_url(session), data)
    assert LogEntry.objects.filter(user__username="bruno").exists()
    page = editor.get("/admin/").content.decode()
    assert "Recent changes" in page
    assert "Bruno" in page


def test_text_is_plain_and_escaped_on_the_public_page(editor, anonymous, session):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = "<script>alert('x')</script> & more"
    editor.post(change_url(session), data)
    page = anonymous.get(PUBLIC).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


class TestValidation:
    def test_a_meeting_cannot_end_before_it_starts(self, editor, meeting):
        data = form_data(editor.get(change_url(meeting)))
        data["end_date"] = "2099-05-01"
        response = editor.post(change_url(meeting), data)
        assert response.status_code == 200
        assert "The government meeting cannot end before it starts" in response.content.decode()
        assert "meeting_ends_after_it_starts" not in response.content.decode()

    def test_civil_society_days_end_after_they_start(self, editor, meeting):
        data = form_data(editor.get(change_url(meeting)))
        data |= {"civil_society_start_date": "2099-05-02", "civil_society_end_date": "2099-05-01"}
        response = editor.post(change_url(meeting), data)
        assert "The Civil Society Days cannot end before they start" in response.content.decode()

    def test_a_session_number_belongs_to_its_roundtable(self, editor, session):
        data = form_data(editor.get(change_url(session)))
        data["number"] = "2.1"
        response = editor.post(change_url(session), data)
        assert response.status_code == 200
        assert "Session 2.1 belongs to roundtable 2, but it is in roundtable 1" in response.content.decode()

    def test_a_sub_point_has_its_parent_in_the_same_meeting(self, editor, recommendation):
        elsewhere = Recommendation.objects.exclude(meeting=recommendation.meeting).first()
        data = form_data(editor.get(change_url(recommendation)))
        data["parent"] = str(elsewhere.pk)
        response = editor.post(change_url(recommendation), data)
        assert response.status_code == 200
        assert "A sub-point&#x27;s parent must be a recommendation of the same meeting" in response.content.decode()

    def test_a_recommendation_needs_text(self, editor, recommendation):
        data = form_data(editor.get(change_url(recommendation)))
        data["text"] = "   "
        response = editor.post(change_url(recommendation), data)
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        recommendation.refresh_from_db()
        assert recommendation.text == "Do the test."


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/gfmd/sourcedocument/",
        "/admin/themes/theme/",
        "/admin/gfmd_sessions/meeting/",
        "/admin/gfmd_sessions/roundtable/",
        "/admin/gfmd_sessions/session/",
        "/admin/gfmd_sessions/milestone/",
        "/admin/recommendations/recommendation/",
        "/admin/recommendations/gmgmember/",
        "/admin/recommendations/section/",
        "/admin/recommendations/proposedactivity/",
    ],
)
def test_admin_lists_run_no_query_per_row(editor, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(15):
        response = editor.get(path)
    assert response.status_code == 200


def test_change_pages_with_inlines_run_no_query_per_row(editor, django_assert_max_num_queries):
    roundtable = Roundtable.objects.filter(sessions__isnull=False).order_by("-pk").first()
    meeting = roundtable.meeting
    with django_assert_max_num_queries(30):
        assert editor.get(change_url(meeting)).status_code == 200
    with django_assert_max_num_queries(30):
        assert editor.get(change_url(roundtable)).status_code == 200


def test_searching_the_session_list(editor):
    wanted = Session.objects.filter(title__icontains="remittances").first() or Session.objects.first()
    word = max(wanted.title.split(), key=len)
    response = editor.get("/admin/gfmd_sessions/session/", {"q": word})
    found = Session.objects.filter(
        Q(number__icontains=word)
        | Q(title__icontains=word)
        | Q(discussion__icontains=word)
        | Q(co_chairs__icontains=word)
    )
    changelist = response.context["cl"]
    assert set(changelist.result_list) == set(found) and wanted in found
    assert f"{found.count()} result" in response.content.decode()


def test_activities_pick_members_and_themes_with_autocomplete(editor):
    response = editor.get(
        "/admin/autocomplete/?app_label=recommendations&model_name=proposedactivity&field_name=gmg_members&term=UN"
    )
    assert response.status_code == 200
    assert "UNODC" in response.content.decode()
    response = editor.get(
        "/admin/autocomplete/?app_label=recommendations&model_name=proposedactivity&field_name=themes&term=labour"
    )
    assert Theme.objects.get(slug="labour-mobility").name in response.content.decode()
