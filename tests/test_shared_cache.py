"""With a shared cache (Redis), a cached page makes no query: the revision is in the cache, written there when
an edit commits. Derived values are kept per revision in the cache, a copy for each request. A Redis that
hangs costs one wait, then none for a while.

On the small made-up content of tests/small_fixtures.
"""

import re
import socket
import time
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from lib import cache as shared_cache_backend
from lib import caching
from lib.caching import content_changed
from sessions.models import Session
from tests.helpers_servers import redis_caches, redis_server, redis_server_path

URL = "/meetings/testville-2099/sessions/1-1/"

needs_redis = pytest.mark.skipif(
    not redis_server_path(), reason="Debian's redis-server is not installed (apt-get install redis-server)"
)


@pytest.fixture(scope="module")
def redis_url():
    if not redis_server_path():
        pytest.skip("Debian's redis-server is not installed (apt-get install redis-server)")
    with redis_server() as redis:
        yield redis.url


@pytest.fixture
def on_redis(settings, redis_url, small_content):
    settings.CACHES = redis_caches(redis_url)
    caches["default"].clear()  # the whole Redis database, both aliases


def edit_session(title):
    session = Session.objects.get(meeting__slug="testville-2099", slug="1-1")
    session.title = title
    session.save()
    content_changed([session])


@needs_redis
def test_a_cached_page_on_a_shared_cache_makes_no_query(client, on_redis, django_assert_num_queries):
    first = client.get(URL)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(URL)
        conditional = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again.content == first.content
    assert conditional.status_code == 304


@needs_redis
def test_an_edit_committed_shows_at_once_on_a_shared_cache(
    client, on_redis, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        edit_session("Corrected by an editor")
    after = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert "Corrected by an editor" in after.content.decode()
    with django_assert_num_queries(0):
        assert "Corrected by an editor" in client.get(URL).content.decode()


@needs_redis
def test_an_edit_rolled_back_leaves_the_shared_revision_alone(client, on_redis, django_capture_on_commit_callbacks):
    first = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            edit_session("Never committed")
            raise RuntimeError("the editor's save failed")
    assert callbacks == []
    after = client.get(URL)
    assert after["ETag"] == first["ETag"]
    assert "Never committed" not in after.content.decode()


@needs_redis
def test_a_revision_written_behind_the_cache_shows_once_its_copy_expires(client, on_redis, monkeypatch):
    monkeypatch.setattr(caching, "REVISION_TIMEOUT", 1)
    first = client.get(URL)
    # As a restore or a write in SQL does: the database's revision moves, and no edit tells the cache.
    table = connection.ops.quote_name(caching.revision_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET number = number + 1 WHERE id = 1")
    assert client.get(URL)["ETag"] == first["ETag"]
    time.sleep(1.2)
    assert client.get(URL)["ETag"] != first["ETag"]


def test_the_per_process_cache_reads_the_revision_from_the_database(client, small_content):
    client.get(URL)
    caching.publish_revision()  # nothing to publish to: each process has its own cache
    assert caches["default"].get(caching.REVISION_KEY) is None


@contextmanager
def silent_server():
    """A Redis that hangs: the connection opens (the kernel accepts it) and nothing ever answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def timed(operation):
    started = time.monotonic()
    result = operation()
    return result, time.monotonic() - started


def test_a_hanging_shared_cache_costs_one_wait_then_none(client, settings, small_content):
    with silent_server() as url:
        settings.CACHES = redis_caches(url)
        first, waited = timed(lambda: client.get(URL))
        assert first.status_code == 200 and "The first session" in first.content.decode()
        # Each cache waited once, and only as long as its timeout: the revision came from the database.
        assert waited >= shared_cache_backend.TIMEOUT
        for alias in ("default", "pages"):
            value, took = timed(lambda alias=alias: caches[alias].get("anything"))
            assert value is None and took < shared_cache_backend.TIMEOUT / 4
        second = client.get(URL)
        assert second.status_code == 200 and second.content == first.content


def test_a_cache_that_failed_is_tried_again_after_a_rest(settings, monkeypatch):
    with silent_server() as url:
        settings.CACHES = redis_caches(url)
        backend = caches["default"]
        backend.get("anything")
        monkeypatch.setattr(shared_cache_backend.time, "monotonic", lambda: time.monotonic_ns() / 1e9 + 3600)
        _, took = timed(lambda: backend.get("anything"))
    assert took >= shared_cache_backend.TIMEOUT


calls = []


@caching.per_revision(name="tests.derived")
def derived():
    calls.append(1)
    return {"meetings": ["Testville 2099"]}


def in_request(revision, function):
    return caching.render_at(revision, lambda request: function(), None)


def test_a_derived_value_is_read_once_per_revision_and_each_request_gets_its_own_copy(db):
    calls.clear()
    mine = in_request(7, derived)
    mine["meetings"].append("changed by one request")
    assert in_request(7, derived) == {"meetings": ["Testville 2099"]}
    assert len(calls) == 1
    in_request(8, derived)
    assert len(calls) == 2
    # Outside a page's request nothing is kept.
    derived()
    assert len(calls) == 3


@caching.per_revision(name="tests.derived_of")
def derived_of(record):
    calls.append(record.pk)
    return record.pk * 10


def test_a_derived_value_of_an_argument_is_kept_for_each_and_keyed_without_spaces(db):
    from recommendations.models import GMGMember

    calls.clear()
    women, iom = GMGMember(pk=1, acronym="UN Women"), GMGMember(pk=2, acronym="IOM")
    assert [in_request(7, lambda: derived_of(women)), in_request(7, lambda: derived_of(iom))] == [10, 20]
    assert [in_request(7, lambda: derived_of(women)), in_request(7, lambda: derived_of(iom))] == [10, 20]
    assert calls == [1, 2]
    # Named by the record's model and id: the key holds none of the acronym's space.
    assert caching.key_part(women) == "recommendations.GMGMember.1"
    assert caching.key_part([GMGMember, 3, "held"]) == "recommendations.GMGMember,3,held"
    with pytest.raises(TypeError, match="not by 'UN Women'"):
        caching.key_part("UN Women")


@caching.per_revision(name="tests.derived_of_models")
def derived_of_models(models):
    return len(models)


def test_a_derived_value_of_many_models_has_a_key_memcached_takes(db, monkeypatch):
    from django.apps import apps

    models = list(apps.get_app_config("recommendations").get_models()) * 3
    cache, keys = caches["default"], []
    set_value = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *args: keys.append(cache.make_key(key)) or set_value(key, *args))
    assert in_request(12345, lambda: derived_of_models(models)) == len(models)
    assert in_request(12345, lambda: derived_of_models(models[:1])) == 1
    # A long list of models is named by its digest, a short one as it is: either way within 250 characters.
    many, one = keys
    assert len(many) <= 250 and re.fullmatch(r".*:tests\.derived_of_models:[0-9a-f]{32}", many), many
    assert one.endswith(f":tests.derived_of_models:{models[0]._meta.label}"), one


def test_a_derived_value_made_at_run_time_must_be_named():
    with pytest.raises(TypeError, match="give per_revision a name"):
        caching.per_revision(lambda: 1)


def test_pages_have_a_cache_of_their_own(monkeypatch):
    from gfmd.env import env_cache

    caches["default"].set("derived", 1)
    caches["pages"].clear()
    assert caches["default"].get("derived") == 1
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert env_cache("CACHE_URL")["KEY_PREFIX"] != env_cache("CACHE_URL", alias="pages")["KEY_PREFIX"]


@needs_redis
def test_a_page_read_from_the_shared_cache_is_kept_in_memory_too(on_redis, redis_url):
    import redis

    pages = caches["pages"]
    pages.set("page:1:test", "the page")
    # As another server finds it: not in its memory, read from Redis, then kept.
    pages._copies.clear()
    assert pages.get("page:1:test") == "the page"
    redis.Redis.from_url(redis_url).flushdb()
    assert pages.get("page:1:test") == "the page"
    assert caches["default"].get("page:1:test") is None
