"""Nothing an editor types breaks the site or the data package: too long a text, a formula, a tag without
a letter, a merge of tags, a role renamed by someone who may not."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import models
from taggit.models import Tag

from lib.content import content_models
from lib.editing import tag_name_problem
from lib.models import LONG_TEXT
from lib.spreadsheet import RUNS_AS_FORMULA
from sessions.models import Session
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def text_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices
    ]


FORMULAS = ['=HYPERLINK("http://example.org","x")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1:A2)", "-2+3"]


@pytest.mark.parametrize("typed", FORMULAS)
def test_a_text_a_spreadsheet_would_run_is_refused_and_the_typing_kept(editor, session, typed):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = typed
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "which a spreadsheet would run as a formula" in page
    assert response.context["adminform"].form["discussion"].value() == typed
    session.refresh_from_db()
    assert session.discussion == ""


def test_a_formula_is_refused_in_a_short_field_and_in_an_inline_row(editor, roundtable, session):
    data = form_data(editor.get(change_url(roundtable)))
    data["title"] = "=1+1"
    data["sessions-0-title"] = "@me"
    response = editor.post(change_url(roundtable), data)
    assert response.status_code == 200
    assert response.content.decode().count("which a spreadsheet would run as a formula") == 2
    roundtable.refresh_from_db()
    assert roundtable.title == "A test roundtable"


@pytest.mark.parametrize("typed", ["- a point of a list", "A text with = and + inside", "“=quoted”", "2 + 2"])
def test_a_list_item_or_a_sign_inside_a_text_is_kept(editor, session, typed):
    data = form_data(editor.get(change_url(session)))
    data["discussion"] = typed
    assert editor.post(change_url(session), data).status_code == 302
    session.refresh_from_db()
    assert session.discussion == typed


@pytest.mark.parametrize("typed", ["\tleading tab", "\rcarriage return", "-minus"])
def test_a_record_with_a_leading_tab_return_or_minus_does_not_validate(session, typed):
    session.discussion = typed
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "spreadsheet would run as a formula" in str(refused.value.message_dict["discussion"])


def test_the_real_content_holds_no_formula_and_no_text_beyond_the_limits():
    checked = 0
    for model in content_models():
        for name in text_fields(model):
            limit = model._meta.get_field(name).max_length
            assert limit is not None and limit <= LONG_TEXT, f"{model.__name__}.{name} has no length limit"
            for value in model._default_manager.values_list(name, flat=True):
                assert not RUNS_AS_FORMULA.match(value or ""), f"{model.__name__}.{name}: {value[:60]}"
                assert len(value or "") <= limit
                checked += 1
    for name in Tag.objects.values_list("name", flat=True):
        assert tag_name_problem(name) is None
        checked += 1
    assert checked > 1500


def test_a_text_over_the_limit_is_a_form_error_that_keeps_the_typing(editor, session):
    data = form_data(editor.get(change_url(session)))
    typed = "Typed by an editor. " * 67_500  # 1.35 million characters, the last space trimmed as any form does
    data["discussion"] = typed
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    assert "Ensure this value has at most 10000 characters (it has 1349999)" in response.content.decode()
    assert response.context["adminform"].form["discussion"].value() == typed
    assert 'maxlength="10000"' in response.content.decode()


def test_a_tag_over_a_hundred_characters_is_a_form_error_that_keeps_the_typing(editor, session):
    data = form_data(editor.get(change_url(session)))
    typed = "kept, " + "a" * 101
    data["tags"] = typed
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    assert "A tag has at most 100 characters" in response.content.decode()
    assert response.context["adminform"].form["tags"].value() == typed
    assert list(Session.objects.get(pk=session.pk).tags.names()) == []


def test_a_tag_a_spreadsheet_would_run_is_refused(editor, session):
    data = form_data(editor.get(change_url(session)))
    data["tags"] = "=1+1"
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    assert "which a spreadsheet would run as a formula" in response.content.decode()


def select_tags(client, *tags):
    response = client.post(
        "/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": [str(tag.pk) for tag in tags]}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("typed", ["!!!", '","', "=1+1", "x" * 101])
def test_a_merge_into_a_name_a_tag_cannot_have_is_a_form_error_that_keeps_the_typing(editor, session, typed):
    session.tags.add("first subject", "second subject")
    tags = list(Tag.objects.filter(name__endswith=" subject"))
    select_tags(editor, *tags)
    response = editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "first subject" in page and "second subject" in page
    assert response.context["form"]["new_tag_name"].value() == typed
    assert any(
        words in page for words in ["needs at least one letter or digit", "run as a formula", "at most 100 characters"]
    )
    assert not Tag.objects.filter(slug="").exists()
    assert sorted(Session.objects.get(pk=session.pk).tags.names()) == ["first subject", "second subject"]


def test_a_merge_with_nothing_selected_is_a_message_and_makes_no_tag(editor):
    count = Tag.objects.count()
    response = editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "made from nothing"}, follow=True)
    assert response.status_code == 200
    assert "No tags are selected to merge" in response.content.decode()
    assert Tag.objects.count() == count
    assert editor.get("/admin/taggit/tag/merge-tags/").status_code == 302


def test_a_merge_is_an_edit_of_each_record_with_history_and_the_merged_tags_gone(
    editor, anonymous, session, recommendation
):
    session.tags.add("first subject", "second subject")
    recommendation.tags.add("second subject")
    version = Session.objects.get(pk=session.pk).version
    tags = list(Tag.objects.filter(name__endswith=" subject"))
    select_tags(editor, *tags)
    response = editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Merged Subject"}, follow=True)
    assert "Merged “first subject”, “second subject” into “Merged Subject”" in response.content.decode()
    merged = Tag.objects.get(name="Merged Subject")
    assert merged.slug == "merged-subject"
    assert not Tag.objects.filter(pk__in=[tag.pk for tag in tags]).exists()
    session.refresh_from_db()
    assert list(session.tags.names()) == ["Merged Subject"] and session.version == version + 1
    assert list(recommendation.tags.names()) == ["Merged Subject"]
    entries = LogEntry.objects.filter(content_type__app_label="taggit").order_by("pk")
    assert [(entry.action_flag, entry.object_repr) for entry in entries] == [
        (ADDITION, "Merged Subject"),
        (DELETION, "first subject"),
        (DELETION, "second subject"),
    ]
    assert "Merged Subject" in editor.get("/admin/").content.decode()  # recent changes
    assert "Merged Subject" in anonymous.get("/meetings/testville-2099/sessions/1-1/").content.decode()


def test_a_merge_into_an_existing_tag_keeps_it(editor, session):
    session.tags.add("first subject", "kept subject")
    kept = Tag.objects.get(name="kept subject")
    select_tags(editor, Tag.objects.get(name="first subject"), kept)
    assert editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "KEPT subject"}).status_code == 302
    assert list(session.tags.all()) == [kept]
    assert LogEntry.objects.get(action_flag=CHANGE, object_id=str(kept.pk)).change_message == (
        "Merged “first subject” into it."
    )


@pytest.mark.parametrize(("field", "typed"), [("name", "=1+1"), ("name", "!!!"), ("slug", "-1")])
def test_a_tag_renamed_follows_the_rules_of_a_tag_typed_on_a_record(editor, session, field, typed):
    session.tags.add("kept subject")
    tag = Tag.objects.get(name="kept subject")
    data = {"name": tag.name, "slug": tag.slug, field: typed}
    response = editor.post(change_url(tag), data)
    assert response.status_code == 200
    assert response.context["adminform"].form[field].value() == typed
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("kept subject", "kept-subject")
