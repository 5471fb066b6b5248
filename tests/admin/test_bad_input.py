"""No input from an editor is a server error: what a link cannot carry, or another record holds, is a form error.

On the small made-up content of tests/small_fixtures, with the agency it lacks built once for the module
(`added`): these test the admin's forms, not what the content says.
"""

import pytest

from recommendations.models import GMGMember, ProposedActivity, Section
from sessions.models import Milestone, Roundtable, Session
from tests.admin.conftest import form_data
from tests.conftest import written

pytestmark = pytest.mark.usefixtures("small_content", "added")

# An agency whose address holds a space, as "UN Women" does: the small content's are hyphenated.
SPACED = "UN Test"


@pytest.fixture(scope="module")
def added(small_database, django_db_blocker):
    with django_db_blocker.unblock():
        member = written(GMGMember.objects.create(acronym=SPACED, name="A test agency with a space"))
        activity = ProposedActivity.objects.get(text="Do a second thing.")
        activity.gmg_members.add(member)
        written(activity)


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def session(slug):
    return Session.objects.get(meeting__slug="testville-2099", slug=slug)


def roundtable_1():
    """The roundtable of sessions 1.1 and 1.2."""
    return Roundtable.objects.get(meeting__slug="testville-2099", stage="held", number=1)


@pytest.mark.parametrize("acronym", ["A/B", "A?B", "UN#1", "UN--DESA", "A%2F", "Ω/", "a.b"])
def test_an_acronym_a_link_cannot_carry_is_refused(editor, anonymous, acronym):
    member = GMGMember.objects.get(acronym="TEST-A")
    data = form_data(editor.get(change_url(member)))
    data["acronym"] = acronym
    response = editor.post(change_url(member), data)
    assert response.status_code == 200
    assert "the acronym is the agency&#x27;s address on the site" in response.content.decode()
    member.refresh_from_db()
    assert member.acronym == "TEST-A"
    for url in ["/activities/", "/activities/expertise/", "/sitemap.xml", "/sitemap-gmg-members.xml", "/gmg/TEST-A/"]:
        assert anonymous.get(url).status_code == 200


def test_an_acronym_with_a_space_or_hyphen_is_an_address(editor, anonymous):
    member = GMGMember.objects.get(acronym="TEST-A")
    data = form_data(editor.get(change_url(member)))
    data["acronym"] = "TEST-A-2"
    assert editor.post(change_url(member), data).status_code == 302
    assert anonymous.get("/gmg/TEST-A-2/").status_code == 200
    spaced = anonymous.get("/gmg/UN%20Test/")
    assert spaced.status_code == 200
    assert "Do a second thing." in spaced.content.decode()


def test_a_session_slug_taken_in_its_meeting_is_a_form_error(editor):
    other = session("1-2")
    data = form_data(editor.get(change_url(other)))
    data["slug"] = "1-1"
    response = editor.post(change_url(other), data)
    assert response.status_code == 200
    assert "already has the link “1-1”" in response.content.decode()
    other.refresh_from_db()
    assert other.slug == "1-2"


def test_a_session_slug_taken_is_a_form_error_inline_too(editor):
    roundtable = roundtable_1()
    data = form_data(editor.get(change_url(roundtable)))
    assert data["sessions-TOTAL_FORMS"] == 2
    data["sessions-TOTAL_FORMS"] = "3"
    data |= {
        "sessions-2-number": "1.3",
        "sessions-2-slug": "1-1",
        "sessions-2-title": "Twin",
        "sessions-2-roundtable": str(roundtable.pk),
    }
    response = editor.post(change_url(roundtable), data)
    assert response.status_code == 200
    assert "already has the link “1-1”" in response.content.decode()
    assert sorted(roundtable.sessions.values_list("slug", flat=True)) == ["1-1", "1-2"]


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "201", "²"])
def test_a_bad_page_size_on_an_agency_page_is_no_server_error(anonymous, page_size):
    # The agency page lists a fixed number per page; page_size was read there and failed as a KeyError.
    refused = anonymous.get("/gmg/TEST-A/", {"page_size": page_size})
    assert refused.status_code == 400 and "does not take page_size" in refused.content.decode()
    response = anonymous.get("/gmg/TEST-A/", {"page": page_size})
    assert response.status_code == 400
    expected = "There is no page 201" if page_size == "201" else "page must be"
    assert expected in response.content.decode()


@pytest.mark.parametrize("typed", ['","', "!!!", '"-", history'])
def test_a_tag_without_a_letter_or_digit_is_refused(editor, typed):
    first = session("1-1")
    data = form_data(editor.get(change_url(first)))
    data["tags"] = typed
    response = editor.post(change_url(first), data)
    assert response.status_code == 200
    assert "A tag needs at least one letter or digit" in response.content.decode()
    assert list(first.tags.names()) == ["alpha"]


@pytest.mark.parametrize("field", ["other_sources", "source", "meeting"])
@pytest.mark.parametrize("value", ["9223389007646294015", "abc", "-1", "Ⅻ"])
def test_a_chosen_record_that_cannot_be_a_key_is_a_form_error(editor, field, value):
    milestone = Milestone.objects.get(meeting__slug="testville-2099", position=1)
    data = form_data(editor.get(change_url(milestone)))
    data[field] = value
    response = editor.post(change_url(milestone), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


def test_a_save_the_database_refuses_is_a_message_not_a_server_error(editor):
    """Rows posted as new at a position another row holds: the database refuses, the editor is told."""
    section = Section.objects.get(roundtable=roundtable_1(), letter="a")
    first = section.activities.get(text="Do a first thing.")
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
        "activities-0-position": first.position,
        "activities-0-text": "A second activity at the first one's place.",
    }
    response = editor.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: the database refused the change" in page
    assert list(section.activities.values_list("text", flat=True)) == ["Do a first thing.", "Do a second thing."]


@pytest.mark.parametrize("total", ["101", "2000", "999999999"])
def test_a_form_claiming_more_rows_than_any_record_has_is_refused_without_building_them(
    editor, total, django_assert_max_num_queries
):
    roundtable = roundtable_1()
    data = form_data(editor.get(change_url(roundtable)))
    data["sessions-TOTAL_FORMS"] = total
    # Rows are built, checked and drawn again only up to the bound: a hundred, not what the form claims.
    with django_assert_max_num_queries(60):
        response = editor.post(change_url(roundtable), data)
    assert response.status_code == 200
    assert "Please submit at most 100 forms." in response.content.decode()
    assert response.content.decode().count('name="sessions-') < 100 * 20
    assert roundtable.sessions.count() == 2
