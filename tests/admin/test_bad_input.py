"""No input from an editor is a server error: what a link cannot carry, or another record holds, is a form error."""

import pytest

from recommendations.models import GMGMember
from sessions.models import Session
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize("acronym", ["A/B", "A?B", "UN#1", "UN--DESA", "A%2F", "Ω/", "a.b"])
def test_an_acronym_a_link_cannot_carry_is_refused(editor, anonymous, acronym):
    member = GMGMember.objects.get(acronym="IOM")
    data = form_data(editor.get(change_url(member)))
    data["acronym"] = acronym
    response = editor.post(change_url(member), data)
    assert response.status_code == 200
    assert "the acronym is the agency&#x27;s address on the site" in response.content.decode()
    member.refresh_from_db()
    assert member.acronym == "IOM"
    for url in ["/activities/", "/activities/expertise/", "/sitemap.xml", "/sitemap-gmg-members.xml", "/gmg/IOM/"]:
        assert anonymous.get(url).status_code == 200


def test_an_acronym_with_a_space_or_hyphen_is_an_address(editor, anonymous):
    member = GMGMember.objects.get(acronym="IOM")
    data = form_data(editor.get(change_url(member)))
    data["acronym"] = "IOM-2"
    assert editor.post(change_url(member), data).status_code == 302
    assert anonymous.get("/gmg/IOM-2/").status_code == 200
    assert anonymous.get("/gmg/UN%20Women/").status_code == 200


def test_a_session_slug_taken_in_its_meeting_is_a_form_error(editor, session, roundtable, source):
    other = Session.objects.create(roundtable=roundtable, number="1.2", title="Another", source=source)
    data = form_data(editor.get(change_url(other)))
    data["slug"] = session.slug
    response = editor.post(change_url(other), data)
    assert response.status_code == 200
    assert "already has the link “1-1”" in response.content.decode()
    other.refresh_from_db()
    assert other.slug == "1-2"


def test_a_session_slug_taken_is_a_form_error_inline_too(editor, session, roundtable):
    data = form_data(editor.get(change_url(roundtable)))
    data["sessions-TOTAL_FORMS"] = "2"
    data |= {
        "sessions-1-number": "1.2",
        "sessions-1-slug": "1-1",
        "sessions-1-title": "Twin",
        "sessions-1-roundtable": str(roundtable.pk),
    }
    response = editor.post(change_url(roundtable), data)
    assert response.status_code == 200
    assert "already has the link “1-1”" in response.content.decode()
    assert roundtable.sessions.count() == 1


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "201", "²"])
def test_a_bad_page_size_on_an_agency_page_is_no_server_error(anonymous, page_size):
    # The agency page lists a fixed number per page; page_size was read there and failed as a KeyError.
    refused = anonymous.get("/gmg/IOM/", {"page_size": page_size})
    assert refused.status_code == 400 and "does not take page_size" in refused.content.decode()
    response = anonymous.get("/gmg/IOM/", {"page": page_size})
    assert response.status_code == 400
    expected = "There is no page 201" if page_size == "201" else "page must be"
    assert expected in response.content.decode()


@pytest.mark.parametrize("typed", ['","', "!!!", '"-", history'])
def test_a_tag_without_a_letter_or_digit_is_refused(editor, anonymous, session, typed):
    data = form_data(editor.get(change_url(session)))
    data["tags"] = typed
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    assert "A tag needs at least one letter or digit" in response.content.decode()
    assert not session.tags.exists()


@pytest.mark.parametrize("field", ["other_sources", "source", "meeting"])
@pytest.mark.parametrize("value", ["9223389007646294015", "abc", "-1", "Ⅻ"])
def test_a_chosen_record_that_cannot_be_a_key_is_a_form_error(editor, meeting, source, field, value):
    from sessions.models import Milestone

    milestone = Milestone.objects.create(meeting=meeting, position=1, when="May 2099", text="Kept.", source=source)
    data = form_data(editor.get(change_url(milestone)))
    data[field] = value
    response = editor.post(change_url(milestone), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


def test_a_save_the_database_refuses_is_a_message_not_a_server_error(editor, section, activity):
    """Rows posted as new at a position another row holds: the database refuses, the editor is told."""
    url = f"/admin/recommendations/section/{section.pk}/change/"
    data = {
        "roundtable": section.roundtable_id,
        "letter": section.letter,
        "title": section.title,
        "source": section.source_id,
        "seen_version": section.version,
        "activities-TOTAL_FORMS": 1,
        "activities-INITIAL_FORMS": 0,
        "activities-MIN_NUM_FORMS": 0,
        "activities-MAX_NUM_FORMS": 1000,
        "activities-0-position": activity.position,
        "activities-0-text": "A second activity at the first one's place.",
    }
    response = editor.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: the database refused the change" in page
    assert list(section.activities.values_list("text", flat=True)) == [activity.text]


@pytest.mark.parametrize("total", ["101", "2000", "999999999"])
def test_a_form_claiming_more_rows_than_any_record_has_is_refused_without_building_them(
    editor, roundtable, session, total, django_assert_max_num_queries
):
    data = form_data(editor.get(change_url(roundtable)))
    data["sessions-TOTAL_FORMS"] = total
    # Rows are built, checked and drawn again only up to the bound: a hundred, not what the form claims.
    with django_assert_max_num_queries(60):
        response = editor.post(change_url(roundtable), data)
    assert response.status_code == 200
    assert "Please submit at most 100 forms." in response.content.decode()
    assert response.content.decode().count('name="sessions-') < 100 * 20
    assert roundtable.sessions.count() == 1
