"""Every change an editor makes in the admin is on every public page that shows it, on the next request.

On the small made-up content of tests/small_fixtures, with the few records it lacks built once for the
module (`added`): these test the mechanism, not what the content says.
"""

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from taggit.models import Tag

from lib.editing import taggings_of, tags_edited
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions.models import Event, Meeting, Passage, Session
from tests.admin.conftest import form_data
from tests.conftest import written

pytestmark = pytest.mark.usefixtures("small_content", "added")

SESSION = "/meetings/testville-2099/sessions/1-1/"
MEETING = "/meetings/testville-2099/"
# Tagged by `added` on the session, the recommendation and the activity of the world below.
TAG = "test subject"


@pytest.fixture(scope="module")
def added(small_database, django_db_blocker):
    """What the small content lacks: one tag on each tagged record of the world, another event and two
    passages, one on its meeting's page and one on its source's."""
    with django_db_blocker.unblock():
        meeting = Meeting.objects.get(slug="testville-2099")
        source = meeting.source
        for record in (session_1_1(), recommendation_2(), activity_1()):
            record.tags.add(TAG)
            written(record)
        written(
            Event.objects.create(
                slug="test-event", title="A test event", meeting=meeting, source=source, source_location="Annex"
            )
        )
        for position, (on_meeting, where) in enumerate([(meeting, "Format"), (None, "Context")], start=1):
            written(
                Passage.objects.create(
                    meeting=on_meeting,
                    position=position,
                    text=f"A test passage: {where}.",
                    source=source,
                    source_location=where,
                )
            )


def session_1_1():
    return Session.objects.get(meeting__slug="testville-2099", slug="1-1")


def recommendation_2():
    """The recommendation of session 1.1."""
    return Recommendation.objects.get(meeting__slug="testville-2099", parent=None, number="2")


def activity_1():
    return ProposedActivity.objects.get(text="Do a first thing.")


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def world():
    """A session with a recommendation, milestones, an activity with its parts, a theme and a tag on each."""
    session = session_1_1()
    return {
        "session": session,
        "recommendation": recommendation_2(),
        "activity": activity_1(),
        "theme": session.themes.get(),
        "source": session.source,
    }


def pages(world, names):
    recommendation, activity = world["recommendation"], world["activity"]
    known = {
        "session": SESSION,
        "meeting": MEETING,
        "home": "/",
        "sessions": "/sessions/?meeting=testville-2099",
        "recommendation": f"/recommendations/{recommendation.pk}/",
        "recommendations": "/recommendations/?meeting=testville-2099",
        "activity": f"/activities/{activity.pk}/",
        "activities": "/activities/?theme=test-labour",
        "agency": "/gmg/TEST-A/",
        "themes": "/themes/",
        "theme": "/themes/test-labour/",
        "source": "/sources/test-report/",
        "api": "/api/sessions/?meeting=testville-2099",
    }
    return [known[name] for name in names]


def edit(client, obj, **changes):
    data = form_data(client.get(change_url(obj)))
    data.update(changes)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def warm(client, urls, absent=None):
    """Each page cached, without the words an edit is to put there."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert absent is None or absent not in response.content.decode(), url


def assert_shown(client, urls, text):
    for url in urls:
        assert text in client.get(url).content.decode(), f"{url} does not show {text!r}"


CASES = [
    ("source", lambda w: w["source"], "title", ["source", "session", "meeting"]),
    # A translated field's English is its form's `_en_gb` field (lib/vocabulary.py).
    ("theme", lambda w: w["theme"], "name_en_gb", ["themes", "theme", "session", "sessions"]),
    ("meeting", lambda w: w["session"].meeting, "city_en_gb", ["meeting", "home", "session", "sessions"]),
    ("roundtable", lambda w: w["session"].roundtable, "title", ["meeting", "sessions"]),
    ("session", lambda w: w["session"], "title", ["session", "meeting", "sessions", "theme", "api"]),
    ("milestone", lambda w: w["session"].meeting.milestones.get(position=1), "text", ["meeting"]),
    (
        "recommendation",
        lambda w: w["recommendation"],
        "text",
        ["recommendation", "recommendations", "session", "meeting"],
    ),
    ("agency", lambda w: GMGMember.objects.get(acronym="TEST-A"), "name_en_gb", ["agency", "activities"]),
    ("section", lambda w: w["activity"].section, "title", ["activity", "agency"]),
    ("activity", lambda w: w["activity"], "text", ["activity", "activities", "agency", "theme"]),
]


@pytest.mark.parametrize(("kind", "target", "field", "shown_on"), CASES, ids=[case[0] for case in CASES])
def test_an_edit_of_each_kind_of_record_is_on_every_page_that_shows_it(
    editor, anonymous, world, kind, target, field, shown_on
):
    urls = pages(world, shown_on)
    warm(anonymous, urls, f"Edited {kind} words")
    edit(editor, target(world), **{field: f"Edited {kind} words"})
    assert_shown(anonymous, urls, f"Edited {kind} words")


@pytest.mark.parametrize(
    ("record", "field", "url"),
    [
        (lambda: Event.objects.get(slug="test-event"), "title", "/events/test-event/"),
        (lambda: Passage.objects.get(source_location="Format"), "text", MEETING),
        (lambda: Passage.objects.get(source_location="Context"), "text", "/sources/test-report/"),
    ],
    ids=["event", "passage on its meeting", "passage on its source"],
)
def test_an_edit_of_a_record_of_a_newer_model_is_on_its_page(anonymous, record, field, url):
    # Models added to the content apps are watched without more code: other events and passages.
    editor = Client()
    editor.force_login(User.objects.create_superuser("root", "root@example.org", "a long enough root password"))
    record = record()
    words = f"Edited {record._meta.model_name} words"
    assert record.get_absolute_url().split("#")[0] == url
    warm(anonymous, [url], words)
    edit(editor, record, **{field: words})
    assert_shown(anonymous, [url], words)


@pytest.mark.parametrize("inline", ["sub_activities", "objectives"])
def test_an_inline_edit_of_an_activity_s_parts_is_on_its_page(editor, anonymous, world, inline):
    urls = pages(world, ["activity"])
    warm(anonymous, urls, f"Edited {inline} words")
    edit(editor, world["activity"], **{f"{inline}-0-text": f"Edited {inline} words"})
    assert_shown(anonymous, urls, f"Edited {inline} words")


def test_renaming_a_tag_is_on_every_page_and_changes_the_etag(editor, anonymous, world):
    urls = pages(world, ["session", "recommendation", "sessions", "recommendations"])
    etag = anonymous.get(SESSION)["ETag"]
    warm(anonymous, urls, "renamed subject")
    tag = Tag.objects.get(name=TAG)
    edit(editor, tag, name="renamed subject", slug="renamed-subject")
    assert_shown(anonymous, urls, "renamed subject")
    assert anonymous.get(SESSION, headers={"if-none-match": etag}).status_code == 200


def test_merging_tags_is_on_every_page(editor, anonymous, world):
    other = Tag.objects.create(name="another subject", slug="another-subject")
    world["session"].tags.add(other)
    urls = pages(world, ["session", "recommendation"])
    warm(anonymous, urls, "merged subject")
    tags = [str(Tag.objects.get(name=TAG).pk), str(other.pk)]
    response = editor.post("/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": tags})
    assert response.status_code == 302
    response = editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "merged subject"})
    assert response.status_code == 302
    assert_shown(anonymous, urls, "merged subject")
    assert TAG not in anonymous.get(SESSION).content.decode()


def test_deleting_a_tag_through_the_write_path_takes_it_off_the_pages(anonymous, world):
    # The admin refuses to delete a tag on records (merge it instead): code that does calls the write path.
    urls = pages(world, ["session", "recommendation"])
    assert_shown(anonymous, urls, TAG)
    tag = Tag.objects.get(name=TAG)
    with transaction.atomic():
        taggings = taggings_of([tag])
        tag.delete()
        tags_edited(taggings)
    for url in urls:
        assert TAG not in anonymous.get(url).content.decode()


def test_a_revert_is_on_the_page(editor, anonymous, world):
    session = world["session"]
    edit(editor, session, title="A wrong title")
    assert_shown(anonymous, [SESSION], "A wrong title")
    first = session.history.earliest("history_date")
    revert_url = change_url(session).replace("/change/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    # Not "The first session" alone: the page names the plan held as it, "The first session, as planned".
    page = anonymous.get(SESSION).content.decode()
    assert "A wrong title" not in page
    assert "Session 1.1: The first session" in page


def test_a_deletion_is_on_the_pages(secretariat_admin, anonymous, world):
    milestone = world["session"].meeting.milestones.get(position=1)
    assert_shown(anonymous, [MEETING], "A preparatory meeting.")
    url = change_url(milestone).replace("/change/", "/delete/")
    assert secretariat_admin.post(url, {"post": "yes"}).status_code == 302
    page = anonymous.get(MEETING).content.decode()
    assert "A preparatory meeting." not in page
    assert "The meeting." in page  # the other milestone's text stays


def test_a_bulk_deletion_is_on_the_pages(secretariat_admin, anonymous, world):
    milestone = world["session"].meeting.milestones.get(position=1)
    assert_shown(anonymous, [MEETING], "A preparatory meeting.")
    response = secretariat_admin.post(
        "/admin/gfmd_sessions/milestone/",
        {"action": "delete_selected", "_selected_action": [str(milestone.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    page = anonymous.get(MEETING).content.decode()
    assert "A preparatory meeting." not in page
    assert "The meeting." in page


def test_absolute_links_come_from_site_url_whatever_the_request_named(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = "https://gfmd.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    plain = client.get(SESSION, headers={"host": "testserver"}).content.decode()
    for headers in ({"host": "testserver", "x-forwarded-proto": "https"}, {"host": "127.0.0.1:99999"}):
        page = client.get(SESSION, headers=headers).content.decode()
        assert page == plain
    assert f'href="https://gfmd.example.org{SESSION}"' in plain
    assert "testserver" not in plain and "127.0.0.1" not in plain
