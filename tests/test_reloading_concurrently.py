"""load_gfmd beside an editor saving in the admin, on PostgreSQL: each in its own thread and connection.

An editor's save locks the record and bumps the content revision; the load writes
a batch of records per transaction and bumps the revision as it commits each, so
neither waits for the other for more than one batch, and they never deadlock.
"""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from lib.caching import content_changed, current_revision
from lib.editing import current_version
from pipeline.loading import Batches, Loader
from sessions.models import Session
from tests.conftest import SMALL_FIXTURES, empty_content

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file"),
]
PATIENCE = 60  # seconds before a wait counts as a deadlock: far beyond any single record's write


@pytest.fixture
def small_committed(settings, tmp_path):
    """The small content, committed so that other connections see it; the test's flush empties it after."""
    empty_content()
    settings.GFMD_FIXTURES_DIR = SMALL_FIXTURES
    call_command("load_gfmd", stdout=io.StringIO())
    yield
    empty_content()


def in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as error:  # reported by the test, which runs in another thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def editor_saves(session_pk, discussion):
    """What the admin's change view does: lock the record, check its version, save, then the write path."""
    session = Session.objects.get(pk=session_pk)
    current_version(session)
    session.discussion = discussion
    session.save()
    content_changed([session])


def waiting_on_a_lock():
    with connections["default"].cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the activity as it first saw it, unless told not to.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_an_editor_saves_in_the_middle_of_a_load_without_waiting_for_it(small_committed, monkeypatch):
    session = Session.objects.get(meeting__slug="testville-2099", number="1.2")
    paused, saved = threading.Event(), threading.Event()
    visit = Loader.visit
    written = []

    def visit_and_pause(self, *args, **kwargs):
        record = visit(self, *args, **kwargs)  # a batch of its own, committed on return
        written.append(record)
        if record == session:
            paused.set()
            assert saved.wait(PATIENCE), "the editor's save waited for the load"
        return record

    monkeypatch.setattr(Loader, "visit", visit_and_pause)
    monkeypatch.setattr(Batches, "size", 1)  # so that the load pauses between two batches
    errors = []
    loading = in_thread(lambda: call_command("load_gfmd", "--force", stdout=io.StringIO()), errors)

    def editor():
        assert paused.wait(PATIENCE)
        with transaction.atomic():
            editor_saves(session.pk, "Saved while the load ran.")
        saved.set()

    editing = in_thread(editor, errors)
    loading.join(PATIENCE * 2)
    editing.join(PATIENCE * 2)
    assert not errors
    assert saved.is_set() and written[-1] != session  # the load went on after the editor's save


def test_a_load_meeting_a_record_an_editor_is_saving_waits_for_that_save_and_keeps_it(small_committed):
    session = Session.objects.get(meeting__slug="testville-2099", number="1.2")
    # Something for the load to write, besides the record it finds the editor saving.
    Session.objects.filter(meeting__slug="testville-2099", number="1.1").update(title="Not as the files say")
    revision = current_revision()
    errors, report = [], io.StringIO()
    holding, done = threading.Event(), threading.Event()

    def editor():
        with transaction.atomic():
            editor_saves(session.pk, "An editor's text, saved as the load reaches it.")
            holding.set()
            # Hold the record (and the revision row) until the load is blocked on it.
            for _ in range(PATIENCE * 10):
                if waiting_on_a_lock():
                    break
                done.wait(0.1)
            else:
                raise AssertionError("the load never reached the record the editor holds")

    editing = in_thread(editor, errors)
    assert holding.wait(PATIENCE)
    loading = in_thread(lambda: call_command("load_gfmd", stdout=report), errors)
    editing.join(PATIENCE * 2)
    loading.join(PATIENCE * 2)
    assert not loading.is_alive() and not editing.is_alive()
    assert not errors  # no deadlock, no error
    session.refresh_from_db()
    assert session.discussion == "An editor's text, saved as the load reaches it."
    assert f"session {session.pk}: " in report.getvalue() and "kept as an editor changed them" in report.getvalue()
    assert current_revision() == revision + 2  # the editor's save, and the load's one batch
