"""Every change an editor makes in the admin is on every public page that shows it, on the next request."""

import pytest
from django.db import transaction
from taggit.models import Tag

from lib.editing import taggings_of, tags_edited
from recommendations.models import GMGMember, Objective, SubActivity
from sessions.models import Milestone
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db

SESSION = "/meetings/testville-2099/sessions/1-1/"
MEETING = "/meetings/testville-2099/"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def world(session, recommendation, activity, theme, source):
    """A session with a recommendation, a milestone, an activity with its parts, one theme and one tag on each."""
    recommendation.session = session
    recommendation.save()
    for record in (session, recommendation, activity):
        record.themes.add(theme)
        record.tags.add("test subject")
    Milestone.objects.create(
        meeting=session.meeting, position=1, when="May 2099", text="A test milestone.", source=source
    )
    SubActivity.objects.create(activity=activity, position=1, text="A test sub-activity.")
    Objective.objects.create(activity=activity, position=1, text="A test objective.")
    return {
        "session": session,
        "recommendation": recommendation,
        "activity": activity,
        "theme": theme,
        "source": source,
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
        "activities": "/activities/?theme=test-theme",
        "agency": "/gmg/IOM/",
        "expertise": "/activities/expertise/",
        "themes": "/themes/",
        "theme": "/themes/test-theme/",
        "source": "/sources/test-source/",
        "api": "/api/sessions/?meeting=testville-2099",
    }
    return [known[name] for name in names]


def edit(client, obj, **changes):
    data = form_data(client.get(change_url(obj)))
    data.update(changes)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


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
    ("milestone", lambda w: w["session"].meeting.milestones.get(), "text", ["meeting"]),
    (
        "recommendation",
        lambda w: w["recommendation"],
        "text",
        ["recommendation", "recommendations", "session", "meeting"],
    ),
    ("agency", lambda w: GMGMember.objects.get(acronym="IOM"), "name_en_gb", ["agency", "activities"]),
    ("section", lambda w: w["activity"].section, "title", ["activity", "agency"]),
    ("activity", lambda w: w["activity"], "text", ["activity", "activities", "agency", "theme"]),
]


@pytest.mark.parametrize(("kind", "target", "field", "shown_on"), CASES, ids=[case[0] for case in CASES])
def test_an_edit_of_each_kind_of_record_is_on_every_page_that_shows_it(
    editor, anonymous, world, kind, target, field, shown_on
):
    urls = pages(world, shown_on)
    warm(anonymous, urls)
    edit(editor, target(world), **{field: f"Edited {kind} words"})
    assert_shown(anonymous, urls, f"Edited {kind} words")


def test_an_edit_of_a_record_of_a_newer_model_is_on_its_page(anonymous):
    # Models added to the content apps are watched without more code: other events and passages.
    from django.contrib.auth.models import User
    from django.test import Client

    from gfmd.models import SourceText
    from sessions.models import Event, Passage

    # Words no source prints: the stored texts, which would refuse them (test_reader.py), are not this test's.
    SourceText.objects.all().delete()
    editor = Client()
    editor.force_login(User.objects.create_superuser("root", "root@example.org", "a long enough root password"))
    event = Event.objects.order_by("pk").first()
    passage = Passage.objects.select_related("meeting", "source").order_by("pk").first()
    for record, field, url in [
        (event, "title", event.get_absolute_url()),
        (passage, "text", passage.get_absolute_url().split("#")[0]),
    ]:
        warm(anonymous, [url])
        edit(editor, record, **{field: f"Edited {record._meta.model_name} words"})
        assert_shown(anonymous, [url], f"Edited {record._meta.model_name} words")


@pytest.mark.parametrize("inline", ["sub_activities", "objectives"])
def test_an_inline_edit_of_an_activity_s_parts_is_on_its_page(editor, anonymous, world, inline):
    urls = pages(world, ["activity"])
    warm(anonymous, urls)
    edit(editor, world["activity"], **{f"{inline}-0-text": f"Edited {inline} words"})
    assert_shown(anonymous, urls, f"Edited {inline} words")


def test_renaming_a_tag_is_on_every_page_and_changes_the_etag(editor, anonymous, world):
    urls = pages(world, ["session", "recommendation", "sessions", "recommendations"])
    etag = anonymous.get(SESSION)["ETag"]
    warm(anonymous, urls)
    tag = Tag.objects.get(name="test subject")
    edit(editor, tag, name="renamed subject", slug="renamed-subject")
    assert_shown(anonymous, urls, "renamed subject")
    assert anonymous.get(SESSION, headers={"if-none-match": etag}).status_code == 200


def test_merging_tags_is_on_every_page(editor, anonymous, world):
    other = Tag.objects.create(name="another subject", slug="another-subject")
    world["session"].tags.add(other)
    urls = pages(world, ["session", "recommendation"])
    warm(anonymous, urls)
    tags = [str(Tag.objects.get(name="test subject").pk), str(other.pk)]
    response = editor.post("/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": tags})
    assert response.status_code == 302
    response = editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "merged subject"})
    assert response.status_code == 302
    assert_shown(anonymous, urls, "merged subject")
    assert "test subject" not in anonymous.get(SESSION).content.decode()


def test_deleting_a_tag_through_the_write_path_takes_it_off_the_pages(anonymous, world):
    # The admin refuses to delete a tag on records (merge it instead): code that does calls the write path.
    urls = pages(world, ["session", "recommendation"])
    warm(anonymous, urls)
    tag = Tag.objects.get(name="test subject")
    with transaction.atomic():
        taggings = taggings_of([tag])
        tag.delete()
        tags_edited(taggings)
    for url in urls:
        assert "test subject" not in anonymous.get(url).content.decode()


def test_a_revert_is_on_the_page(editor, anonymous, world):
    session = world["session"]
    edit(editor, session, title="A wrong title")
    warm(anonymous, [SESSION])
    first = session.history.earliest("history_date")
    revert_url = change_url(session).replace("/change/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    assert_shown(anonymous, [SESSION], "A test session")


def test_a_deletion_is_on_the_pages(secretariat_admin, anonymous, world):
    milestone = world["session"].meeting.milestones.get()
    warm(anonymous, [MEETING])
    url = change_url(milestone).replace("/change/", "/delete/")
    assert secretariat_admin.post(url, {"post": "yes"}).status_code == 302
    assert "A test milestone." not in anonymous.get(MEETING).content.decode()


def test_a_bulk_deletion_is_on_the_pages(secretariat_admin, anonymous, world):
    milestone = world["session"].meeting.milestones.get()
    warm(anonymous, [MEETING])
    response = secretariat_admin.post(
        "/admin/gfmd_sessions/milestone/",
        {"action": "delete_selected", "_selected_action": [str(milestone.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert "A test milestone." not in anonymous.get(MEETING).content.decode()


def test_absolute_links_come_from_site_url_whatever_the_request_named(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SITE_URL = "https://gfmd.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    url = "/meetings/athens-2009/sessions/csd-1-1/"
    plain = client.get(url, headers={"host": "testserver"}).content.decode()
    for headers in ({"host": "testserver", "x-forwarded-proto": "https"}, {"host": "127.0.0.1:99999"}):
        page = client.get(url, headers=headers).content.decode()
        assert page == plain
    assert f'href="https://gfmd.example.org{url}"' in plain
    assert "testserver" not in plain and "127.0.0.1" not in plain
