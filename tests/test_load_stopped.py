"""A load_gfmd stopped at any point leaves the site consistent, and the next run finishes the rest.

The small made-up content is loaded into a database emptied of content, in
batches of four records, and stopped while it writes the ninth: two batches
are committed, the third is open.
"""

import io

import pytest
from django.core.management import call_command

from gfmd.models import SearchDocument
from lib import search
from lib.caching import current_revision
from lib.content import content_models
from pipeline.loading import Batches, Loader
from sessions.models import Meeting, Session
from tests.conftest import SMALL_FIXTURES, empty_content

pytestmark = pytest.mark.django_db

BATCH = 4
STOPPED_AT = 9  # the record being written when the load stops: the first of the third batch


class Stopped(BaseException):
    """What a kill does to a load: none of its code runs after it (no `except Exception` catches it)."""


@pytest.fixture
def empty(settings):
    empty_content()
    settings.GFMD_FIXTURES_DIR = SMALL_FIXTURES


@pytest.fixture
def stopped(empty, client, monkeypatch):
    """Load with a cached page and its ETag taken before; stop while the STOPPED_AT-th record is written."""
    page = client.get("/meetings/")
    assert "Testville" not in page.content.decode()
    revision = current_revision()
    save = Loader.save
    saves = []

    def save_then_stop(self, obj):
        save(self, obj)  # the record's row is written, its links are not
        saves.append(obj)
        if len(saves) == STOPPED_AT:
            raise Stopped

    monkeypatch.setattr(Batches, "size", BATCH)
    monkeypatch.setattr(Loader, "save", save_then_stop)
    with pytest.raises(Stopped):
        call_command("load_gfmd", stdout=io.StringIO())
    monkeypatch.setattr(Loader, "save", save)
    return {"etag": page["ETag"], "revision": revision, "saves": saves}


def records():
    return sum(model._default_manager.count() for model in content_models())


def assert_index_holds_the_records():
    for name, kind in search.KINDS.items():
        indexed = set(SearchDocument.objects.filter(kind=name).values_list("object_id", flat=True))
        assert indexed == set(kind.queryset().values_list("pk", flat=True)), name


def test_a_stopped_load_keeps_its_committed_batches_and_drops_the_open_one(stopped):
    assert records() == 2 * BATCH
    assert everything() == {(type(obj), obj.pk) for obj in stopped["saves"][: 2 * BATCH]}


def test_what_a_stopped_load_committed_is_public_and_searchable(stopped, client):
    assert Meeting.objects.filter(slug="testville-2099").exists()
    assert current_revision() > stopped["revision"]
    assert_index_holds_the_records()
    # No stale page: the ETag taken before the load no longer matches, and the page shows the new meeting.
    page = client.get("/meetings/", headers={"if-none-match": stopped["etag"]})
    assert page.status_code == 200 and "Testville" in page.content.decode()
    found = client.get("/search/?q=Testville").content.decode()
    assert 'href="/meetings/testville-2099/"' in found


def everything():
    return {(model, pk) for model in content_models() for pk in model._default_manager.values_list("pk", flat=True)}


def described():
    return {model: sorted(map(str, model._default_manager.all())) for model in content_models()}


def test_the_next_load_after_a_stopped_one_finishes_the_rest(stopped, client):
    call_command("load_gfmd", stdout=io.StringIO())
    finished = described()
    assert_index_holds_the_records()
    session = Session.objects.filter(meeting__slug="testville-2099").order_by("pk").first()
    assert session.title in client.get(session.get_absolute_url()).content.decode()
    again = io.StringIO()
    call_command("load_gfmd", stdout=again)
    assert all(" 0 created, 0 updated" in line for line in again.getvalue().splitlines()[1:])
    # The same records as a load that was never stopped (items without ids in the files get other ids).
    empty_content()
    call_command("load_gfmd", stdout=io.StringIO())
    assert described() == finished
