"""Fixtures that build on each other: meeting -> roundtable -> session.

The test database holds the real content, loaded once by load_gfmd; tests
that need their own records build them in years the Forum never met. Tests of
mechanisms (loader, exporter, caching, checks) run instead on the small made-up
content (`small_content`) or on none (`no_content`), set up once a module.
"""

import datetime
import importlib
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, router, transaction
from django.test.utils import override_settings
from taggit.models import TaggedItem

from gfmd.models import Anchor, SourceDocument, SourceText, UnrecordedText
from lib import search
from lib.cache import forget_failures
from lib.caching import content_changed, forget_per_revision
from lib.content import content_models
from lib.related import clear as clear_related_records
from recommendations.models import GMGMember, ProposedActivity, Recommendation, Section
from sessions.models import Meeting, Roundtable, Session
from themes.models import Theme

SMALL_FIXTURES = Path(__file__).resolve().parent / "small_fixtures"


# About how many seconds each of the longest files takes in a run on two processes (the browser tests in theirs); only
# their order counts. `--dist loadfile` sends a file whole to one process, and xdist hands the files out in the
# order they come: a long file handed out last keeps one process busy while the other waits, so the longest
# go first and the short ones even out the end. A file not named here counts as a tenth of a second a test.
LONGEST_FILES = {
    "tests/e2e/test_accessibility.py": 46,
    "tests/e2e/test_accessibility_phone.py": 35,
    "tests/e2e/test_editor_console.py": 26,
    "tests/test_fuzz.py": 25,
    "tests/test_lists.py": 18,
    "tests/test_query_counts.py": 8,
    "tests/admin/test_bad_input.py": 8,
    "tests/admin/test_invalidation.py": 8,
    "tests/e2e/test_researcher.py": 8,
    "tests/test_pictures.py": 8,
    "tests/e2e/test_wayfinding.py": 7,
    "tests/test_faults.py": 7,
    "tests/admin/test_reloading_properties.py": 7,
    "tests/admin/test_editing.py": 7,
    "tests/admin/test_editors_cannot_break.py": 6,
    "tests/test_facet_index.py": 6,
    "tests/admin/test_reloading_edits.py": 6,
    "tests/test_search.py": 6,
    "tests/test_reader.py": 6,
    "tests/test_datapackage.py": 6,
    "tests/admin/test_nothing_lost.py": 5,
    "tests/test_check_content.py": 5,
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The files the longest first (pyproject.toml's addopts turn off xdist's own order, by number of tests);
    within a file, the order pytest-django gave (transactional tests last) stays."""
    counts, first = {}, {}
    for position, item in enumerate(items):
        counts[item.path] = counts.get(item.path, 0) + 1
        first.setdefault(item.path, position)

    def weight(path):
        name = path.relative_to(config.rootpath).as_posix()
        return LONGEST_FILES.get(name, counts[path] / 10)

    items.sort(key=lambda item: (-weight(item.path), first[item.path]))


@pytest.fixture(scope="session")
def django_db_use_migrations():
    """On SQLite the tables are built straight from the models, in a tenth of the time of the migrations;
    on PostgreSQL the migrations run, as in production (`makemigrations --check` keeps the two one)."""
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, django_db_use_migrations):
    # pytest-django makes a test database only when a collected test asks for one: without, the connection
    # still names the project's own database, which the content must never be loaded into.
    if not test_database_made(request):
        return
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            create_roles()
        call_command("load_gfmd", verbosity=0)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            LOADED[connection.alias] = copy


def test_database_made(request):
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, _ = _get_databases_for_setup(request.session.items)
    return connection.alias in aliases


# On SQLite, a copy of the test database as the session's setup left it (the real content and the roles),
# taken once: copying it back after a transactional test emptied the tables takes a few milliseconds, where
# loading the content again takes seconds each time.
LOADED = {}


def restore_real_content():
    """The real content and the roles, committed, as the session's setup left them."""
    copy = LOADED.get(connection.alias)
    if copy is not None:
        connection.ensure_connection()
        copy.backup(connection.connection)
        # The content types the emptied tables had made again may have other ids than the copy's.
        ContentType.objects.clear_cache()
        return
    if not Meeting.objects.exists():
        call_command("load_gfmd", verbosity=0)
    if not Group.objects.exists():
        create_roles()


def create_roles():
    """What the roles migrations do, for a database built without migrations."""
    roles = importlib.import_module("gfmd.migrations.0007_roles_cover_events_and_passages")
    configs = list(django_apps.get_app_configs())
    modules = [config.models_module for config in configs]
    try:
        roles.sync_roles(django_apps, None)
    finally:
        for config, module in zip(configs, modules, strict=True):
            config.models_module = module


@pytest.fixture(scope="module", autouse=True)
def real_content_committed(request, django_db_setup, django_db_blocker):
    """Each module starts from the real content and the roles, committed, as the session's setup left them: a
    transactional test (a browser test that writes, a load beside an editor) empties every table when it ends,
    and under xdist the next module this process runs may be any."""
    if not test_database_made(request):
        return
    with django_db_blocker.unblock():
        if not (Meeting.objects.exists() and Group.objects.exists()):
            restore_real_content()


@pytest.fixture(autouse=True)
def empty_cache():
    # Each test rolls its data back but the caches would keep pages of it, and what they derived, and
    # the exports built for its revisions, whose numbers the next test reuses.
    for cache in caches.all():
        cache.clear()
    forget_per_revision()
    forget_failures()
    shutil.rmtree(settings.EXPORTS_DIR, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def settings_for_tests(tmp_path_factory):
    """What the tests change in the settings, once for the session (the live servers included)."""
    with override_settings(
        # Each test process its own, emptied before each test.
        EXPORTS_DIR=tmp_path_factory.mktemp("exports"),
        # Tests don't run collectstatic, so the manifest storage has nothing to look up, and whitenoise
        # serves static/ as it does in development rather than warn that there is no collected directory.
        STORAGES=settings.STORAGES
        | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        WHITENOISE_AUTOREFRESH=True,
        # A fast hash: tests sign in often, and their passwords guard nothing.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


def written(record):
    """A record created as the admin creates it: through the write path, which pages and search follow."""
    content_changed([record])
    return record


@pytest.fixture
def source(db):
    return written(SourceDocument.objects.create(slug="test-source", title="A test source", kind="report"))


@pytest.fixture
def theme(db):
    return written(Theme.objects.create(slug="test-theme", name="A test theme", description="For tests."))


@pytest.fixture
def meeting(source):
    return written(
        Meeting.objects.create(
            ordinal=99,
            year=2099,
            slug="testville-2099",
            city="Testville",
            country="Testland",
            start_date=datetime.date(2099, 5, 3),
            end_date=datetime.date(2099, 5, 4),
            source=source,
        )
    )


@pytest.fixture
def roundtable(meeting, source):
    return written(Roundtable.objects.create(meeting=meeting, number=1, title="A test roundtable", source=source))


@pytest.fixture
def session(roundtable, source):
    return written(Session.objects.create(roundtable=roundtable, number="1.1", title="A test session", source=source))


@pytest.fixture
def recommendation(meeting, roundtable, source):
    return written(
        Recommendation.objects.create(
            meeting=meeting, roundtable=roundtable, position=1, number="1", text="Do the test.", source=source
        )
    )


@pytest.fixture
def section(roundtable, source):
    return written(Section.objects.create(roundtable=roundtable, letter="a", title="A test section", source=source))


@pytest.fixture
def activity(section, source):
    activity = ProposedActivity.objects.create(section=section, position=1, text="Test something.", source=source)
    iom, _ = GMGMember.objects.get_or_create(
        acronym="IOM", defaults={"name": "International Organization for Migration"}
    )
    activity.gmg_members.set([iom])
    return written(activity)


def empty_content(*, history=False):
    """Remove every content record, straight in SQL (no signals, no history): a database without content.

    With `history`, their history goes too: a new, empty database, as a restore starts from.
    """
    # The search index is derived from the content and links to its themes: it goes first, with the anchors,
    # the sources' stored texts and the related records derived from it.
    search.clear()
    clear_related_records()
    for model in (Anchor, UnrecordedText, SourceText):
        model._default_manager.all()._raw_delete(router.db_for_write(model))
    for model in reversed(content_models()):
        if history:
            history_model = model.history.model
            for related in history_model._meta.related_objects:  # the history of their links
                related.related_model._default_manager.all()._raw_delete(router.db_for_write(history_model))
            history_model._default_manager.all()._raw_delete(router.db_for_write(history_model))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            through._default_manager.all()._raw_delete(router.db_for_write(through))
        model._default_manager.all()._raw_delete(router.db_for_write(model))
    TaggedItem.objects.all()._raw_delete(router.db_for_write(TaggedItem))


def content_for_module(django_db_blocker, fixtures):
    """For a module fixture: the files in `fixtures` loaded in place of the real content (None: no content).

    In a transaction around the module's tests (each test's own transaction nests inside it, as in
    Django's TestCase), rolled back after the last one. The real content's history goes too: on
    SQLite the new records may take the old ones' ids.
    """
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            empty_content(history=True)
            if fixtures is not None:
                with override_settings(GFMD_FIXTURES_DIR=fixtures):
                    call_command("load_gfmd", stdout=io.StringIO())
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def small_database(django_db_setup, django_db_blocker):
    """The small made-up content of tests/small_fixtures in place of the real one, for a whole module."""
    yield from content_for_module(django_db_blocker, SMALL_FIXTURES)


@pytest.fixture(scope="module")
def no_content(django_db_setup, django_db_blocker):
    """No content at all for a whole module: its tests build the few records they need."""
    yield from content_for_module(django_db_blocker, None)


@pytest.fixture
def small_content(small_database, db, settings, tmp_path):
    """The small content alone, and a copy of its files as the ones to load: tests may edit them."""
    directory = tmp_path / "fixtures"
    shutil.copytree(SMALL_FIXTURES, directory)
    settings.GFMD_FIXTURES_DIR = directory
    return directory
