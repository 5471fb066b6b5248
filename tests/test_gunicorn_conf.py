"""A gunicorn worker takes what it keeps for life out of the garbage collector's way, once (gunicorn.conf.py)."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def post_request():
    gc.unfreeze()
    yield runpy.run_path(str(CONF))["post_request"]
    gc.unfreeze()


def test_gunicorn_takes_the_hook_from_the_projects_configuration(post_request):
    assert Config().settings["config"].get() == f"./{CONF.name}"  # read from the folder gunicorn runs in
    config = Config()
    config.set("post_request", post_request)
    assert config.post_request.__code__ is post_request.__code__


def test_what_lives_at_the_end_of_a_workers_first_request_is_frozen(post_request):
    kept = {"a long-lived": ["object"]}
    worker = SimpleNamespace()
    assert gc.get_freeze_count() == 0
    post_request(worker, None, None, None)
    assert gc.get_freeze_count() > 0
    # Moved out of the generations a collection walks.
    assert not any(obj is kept for obj in gc.get_objects())


def test_later_requests_leave_new_objects_to_the_collector(post_request):
    worker = SimpleNamespace()
    post_request(worker, None, None, None)
    frozen = gc.get_freeze_count()
    made_later = {"made": ["later"]}
    post_request(worker, None, None, None)
    # Nothing more frozen; a frozen object that died meanwhile may have left.
    assert gc.get_freeze_count() <= frozen
    assert any(obj is made_later for obj in gc.get_objects())


def test_garbage_is_collected_before_freezing(post_request):
    # No collection of the collector's own in between: only the hook can free the cycle.
    gc.disable()
    try:
        cycle = {}
        cycle["self"] = cycle
        marker = id(cycle)
        del cycle
        post_request(SimpleNamespace(), None, None, None)
        gc.unfreeze()
        assert not any(id(obj) == marker and "self" in obj for obj in gc.get_objects() if isinstance(obj, dict))
    finally:
        gc.enable()
