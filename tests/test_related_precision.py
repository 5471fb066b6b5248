"""The related records measured on the real content against the judged set (tests/judged/related.yaml)."""

import pytest

from lib import related
from tests.related_precision import (
    baseline_lists,
    judged,
    method_lists,
    places,
    precision_at_3,
    record_keys,
)

pytestmark = pytest.mark.django_db

FLOOR = 0.5


@pytest.fixture(scope="module")
def items():
    return judged()


def test_the_judged_set_names_forty_records_or_more_each_beside_records_of_other_places(items):
    keys, where = record_keys(), places()
    assert len(items) >= 40
    for item in items:
        record = keys[item["record"]]
        assert item["related"], item["record"]
        assert all(where[keys[name]] != where[record] for name in item["related"]), item["record"]


def test_the_related_records_hold_their_floor_of_precision_at_3_and_beat_shared_themes_and_tags(items):
    related.rebuild()
    method = precision_at_3(method_lists(), items)
    baseline = precision_at_3(baseline_lists([record_keys()[item["record"]] for item in items]), items)
    assert method >= FLOOR, f"precision at 3: {method:.2f}"
    assert method > baseline, f"related by wording {method:.2f}, shared themes and tags {baseline:.2f}"
