"""A record's history as an editor reads it: one row a save, a revert and a restore named as such."""

import pytest
from django.contrib.admin.models import LogEntry

from sessions.models import Session
from tests.admin.conftest import form_data
from themes.models import Theme

pytestmark = pytest.mark.django_db


def admin_url(obj, view):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_a_change_of_themes_writes_one_history_row_with_the_new_themes(editor, session, theme):
    other = Theme.objects.exclude(pk=theme.pk).first()
    for themes, title in [([theme], "A test session"), ([other], "Retitled")]:
        before = session.history.count()
        data = form_data(editor.get(admin_url(session, "change")))
        data |= {"themes": [str(t.pk) for t in themes], "title": title}
        assert editor.post(admin_url(session, "change"), data).status_code == 302
        assert session.history.count() == before + 1
        row = session.history.latest("history_id")
        assert row.history_type == "~" and row.title == title
        assert [link.theme_id for link in row.themes.all()] == [t.pk for t in themes]
    page = editor.get(admin_url(session, "history")).content.decode()
    assert page.count("<td>Changed</td>") == 2


def test_a_new_record_with_themes_has_one_row_created(editor, roundtable, theme, source):
    data = {
        "roundtable": roundtable.pk,
        "number": "1.5",
        "slug": "1-5",
        "title": "Added with a theme",
        "themes": [theme.pk],
        "source": source.pk,
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
        "links_out-TOTAL_FORMS": "0",
        "links_out-INITIAL_FORMS": "0",
    }
    assert editor.post("/admin/gfmd_sessions/session/add/", data).status_code == 302
    added = Session.objects.get(title="Added with a theme")
    assert [(row.history_type, row.version) for row in added.history.all()] == [("+", 1)]
    assert list(added.history.get().themes.values_list("theme_id", flat=True)) == [theme.pk]


def test_a_revert_and_a_restore_are_named_in_the_history_and_the_log(secretariat_admin, session):
    first = session.history.earliest("history_id")
    data = form_data(secretariat_admin.get(admin_url(session, "change")))
    data["title"] = "A typo"
    secretariat_admin.post(admin_url(session, "change"), data)
    revert_url = admin_url(session, f"history/{first.history_id}")
    assert secretariat_admin.post(revert_url, form_data(secretariat_admin.get(revert_url))).status_code == 302
    assert secretariat_admin.post(admin_url(session, "delete"), {"post": "yes"}).status_code == 302
    last = Session.history.filter(id=session.pk).exclude(history_type="-").latest("history_id")
    restore_url = admin_url(session, f"history/{last.history_id}")
    assert secretariat_admin.post(restore_url, form_data(secretariat_admin.get(restore_url))).status_code == 302

    rows = list(Session.history.filter(id=session.pk).order_by("history_id"))
    assert [(row.history_type, row.history_change_reason) for row in rows[-3:]] == [
        ("~", f"Reverted to version {first.version}"),
        ("-", None),
        ("+", f"Restored after its deletion, as it was at version {last.version}"),
    ]
    page = secretariat_admin.get(admin_url(session, "history")).content.decode()
    assert "<td>Restored</td>" in page and "<td>Reverted</td>" in page and "<td>Deleted</td>" in page
    assert "style=" not in page
    messages = (
        LogEntry.objects.filter(object_id=str(session.pk)).order_by("pk").values_list("change_message", flat=True)
    )
    assert list(messages)[-1] == f"Restored after its deletion, as it was at version {last.version}"
    recent = secretariat_admin.get("/admin/").content.decode()
    assert '<span class="visually-hidden">Restored:</span>' in recent
