"""Nothing an editor types breaks the site or the data package: too long a text, a formula, a tag without
a letter, a merge of tags, a role renamed by someone who may not."""

import pytest
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
