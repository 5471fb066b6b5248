"""A server process takes what it keeps for life out of the garbage collector's way, once (lib.long_lived)."""

import gc

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from lib import long_lived


@pytest.fixture
def unfrozen():
    # As Django's test client does: the end of a request here must not close the test's database connection.
    request_finished.disconnect(close_old_connections)
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid=long_lived.DISPATCH_UID)
    request_finished.connect(close_old_connections)


def test_what_lives_at_the_end_of_the_first_request_is_frozen(unfrozen):
    kept = {"a long-lived": ["object"]}
    long_lived.freeze_after_first_request()
    assert gc.get_freeze_count() == 0
    request_finished.send(sender=None)
    assert gc.get_freeze_count() > 0
    # Moved out of the generations a collection walks.
    assert not any(obj is kept for obj in gc.get_objects())


def test_later_requests_leave_new_objects_to_the_collector(unfrozen):
    long_lived.freeze_after_first_request()
    request_finished.send(sender=None)
    frozen = gc.get_freeze_count()
    made_later = {"made": ["later"]}
    request_finished.send(sender=None)
    # No second freeze, which would have taken made_later too; frozen objects may die meanwhile.
    assert gc.get_freeze_count() <= frozen
    assert any(obj is made_later for obj in gc.get_objects())


def test_garbage_is_collected_before_freezing(unfrozen):
    # No collection of the collector's own in between: only freeze() can free the cycle.
    gc.disable()
    try:
        check_garbage_is_collected_before_freezing()
    finally:
        gc.enable()


def check_garbage_is_collected_before_freezing():
    cycle = {}
    cycle["self"] = cycle
    marker = id(cycle)
    del cycle
    long_lived.freeze_after_first_request()
    request_finished.send(sender=None)
    gc.unfreeze()
    assert not any(id(obj) == marker and "self" in obj for obj in gc.get_objects() if isinstance(obj, dict))
