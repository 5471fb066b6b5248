"""load_gfmd keeps what editors changed; export_gfmd writes the database back as fixtures; a restore keeps ids.

On the small made-up content of tests/small_fixtures: these test the loader and the exporter, not the content.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gfmd.models import SourceDocument
from lib.content import content_models
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Event, Meeting, Milestone, Passage, Roundtable, Session
from tests.admin.conftest import form_data
from tests.conftest import empty_content
from themes.models import Theme

pytestmark = pytest.mark.usefixtures("small_content")

# What identifies a record apart from its database id.
NATURAL_KEYS = {
    SourceDocument: ["slug"],
    Theme: ["slug"],
    GMGMember: ["acronym"],
    Meeting: ["slug"],
    Roundtable: ["meeting", "track", "stage", "kind", "number"],
    Session: ["roundtable", "number", "title"],
    Milestone: ["meeting", "position"],
    Event: ["slug"],
    Passage: ["source", "source_location"],
    Recommendation: ["meeting", "track", "roundtable", "session", "kind", "parent", "position"],
    Section: ["roundtable", "letter"],
    ProposedActivity: ["section", "position"],
    SubActivity: ["activity", "position"],
    Objective: ["activity", "position"],
}
BOOKKEEPING = {"id", "version", "loaded_version"}


def natural_key(obj):
    if obj is None:
        return None
    return (type(obj).__name__, *(natural_value(obj, name) for name in NATURAL_KEYS[type(obj)]))


def natural_value(obj, name):
    field = obj._meta.get_field(name)
    return natural_key(getattr(obj, name)) if field.is_relation else getattr(obj, name)


def snapshot():
    """Every content record, its relations given by natural keys, so that ids may differ."""
    rows = []
    for model in content_models():
        for obj in model.objects.all():
            row = {"model": model.__name__}
            for field in obj._meta.concrete_fields:
                if field.name not in BOOKKEEPING:
                    row[field.name] = natural_value(obj, field.name)
            for field in obj._meta.many_to_many:
                if field.name == "tags":
                    continue
                row[field.name] = sorted(map(natural_key, getattr(obj, field.name).all()))
            if hasattr(obj, "tags"):
                row["tags"] = sorted(obj.tags.names())
            rows.append(repr(sorted(row.items())))
    return sorted(rows)


def a_session():
    return Session.objects.exclude(discussion="").order_by("pk").first()


def edit_through_the_admin(client, session, discussion):
    url = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    data = form_data(client.get(url))
    data["discussion"] = discussion
    assert client.post(url, data).status_code == 302


def test_reloading_keeps_a_record_an_editor_changed_and_reports_it(editor):
    session = a_session()
    original = session.discussion
    edit_through_the_admin(editor, session, "The editor's corrected text.")

    out = io.StringIO()
    call_command("load_gfmd", stdout=out)

    session.refresh_from_db()
    assert session.discussion == "The editor's corrected text."
    report = out.getvalue()
    assert "sessions: 0 created, 0 updated" in report and "1 kept as an editor changed them" in report
    assert f"session {session.pk}: {session}, changed by anna on" in report

    out = io.StringIO()
    call_command("load_gfmd", "--force", stdout=out)
    session.refresh_from_db()
    assert session.discussion == original
    assert "Replaced these records editors had changed:" in out.getvalue()
    assert f"session {session.pk}:" in out.getvalue()

    out = io.StringIO()
    call_command("load_gfmd", stdout=out)
    assert "kept" not in out.getvalue() and "Replaced" not in out.getvalue()


def test_reloading_still_updates_records_no_editor_touched():
    Meeting.objects.filter(slug="testville-2099").update(city="Atlantis")
    call_command("load_gfmd", stdout=io.StringIO())
    assert Meeting.objects.get(slug="testville-2099").city == "Testville"


def test_an_edit_kept_by_the_loader_is_in_the_records_history(editor):
    session = a_session()
    edit_through_the_admin(editor, session, "Corrected.")
    call_command("load_gfmd", stdout=io.StringIO())
    latest = session.history.latest("history_date")
    assert latest.discussion == "Corrected."
    assert latest.history_user.username == "anna"


def public_pages():
    """Every page addressed by a record's id or slug, with the record it shows."""
    pages = {}
    for model in (Recommendation, ProposedActivity, Session):
        for record in model.objects.all():
            pages[record.get_absolute_url()] = (model.__name__, getattr(record, "text", None) or record.heading)
    return pages


def test_a_restore_keeps_every_record_and_every_public_address(tmp_path, client, editor):
    """The documented restore: export, an empty database, load the export."""
    edit_through_the_admin(editor, a_session(), "An edit that must survive the restore.\n\nIn two paragraphs.")
    before, pages = snapshot(), public_pages()
    out = tmp_path / "backup"
    call_command("export_gfmd", str(out), stdout=io.StringIO())
    empty_content(history=True)  # a new, empty database
    call_command("load_gfmd", "--fixtures", str(out), stdout=io.StringIO())

    assert snapshot() == before
    assert public_pages() == pages
    for url, (_, text) in sorted(pages.items()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text.split("\n")[0][:40] in response.content.decode().replace("&#x27;", "'"), url
    again = tmp_path / "again"
    call_command("export_gfmd", str(again), "--from", str(out), stdout=io.StringIO())
    for path in sorted(out.glob("*.yaml")):
        assert (again / path.name).read_text() == path.read_text(), path.name


def test_export_refuses_to_mix_with_existing_files(tmp_path):
    (tmp_path / "old.yaml").write_text("sources: []\n")
    with pytest.raises(CommandError, match="already holds 1 YAML files"):
        call_command("export_gfmd", str(tmp_path), stdout=io.StringIO())
    call_command("export_gfmd", str(tmp_path), "--replace", stdout=io.StringIO())
    assert not (tmp_path / "old.yaml").exists()
    assert (tmp_path / "meetings.yaml").exists()


def test_the_secretariat_story(editor_user, second_editor, anonymous):
    """Sign in, correct a session, see it public and in history, revert; a stale colleague is told; reload keeps it."""
    anna = anonymous.__class__()
    response = anna.post("/admin/login/?next=/admin/", {"username": "anna", "password": "a long enough test password"})
    assert response.status_code == 302
    session = a_session()
    url = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    original = session.discussion
    bruno_form = form_data(second_editor.get(url))

    edit_through_the_admin(anna, session, "Anna's correction.")
    assert "Anna&#x27;s correction." in anonymous.get(session.get_absolute_url()).content.decode()
    history = anna.get(url.replace("/change/", "/history/")).content.decode()
    assert "Anna&#x27;s correction." in history

    bruno_form["discussion"] = "Bruno's older edit."
    refused = second_editor.post(url, bruno_form).content.decode()
    assert "Someone else saved this session while you were editing it (Anna on" in refused
    assert "Discussion is now “Anna&#x27;s correction.”" in refused

    call_command("load_gfmd", stdout=io.StringIO())
    session.refresh_from_db()
    assert session.discussion == "Anna's correction."

    first = session.history.filter(history_user=None).latest("history_date")
    revert_url = url.replace("/change/", f"/history/{first.history_id}/")
    assert anna.post(revert_url, form_data(anna.get(revert_url))).status_code == 302
    session.refresh_from_db()
    assert session.discussion == original
