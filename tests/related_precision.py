"""Precision at 3 of the related records on the judged set (tests/judged/related.yaml), and of a plain baseline.

The judged set names records by source and place in it; each judged record's first three related records are
counted relevant when the set lists them beside it. The baseline ranks the records of other places by how
many themes and tags they share with the record. docs/related.md reports both; to measure again:

    python manage.py shell -c "from tests.related_precision import report; report()"
"""

from collections import defaultdict
from pathlib import Path

import yaml

from gfmd.models import RelatedRecord, SearchDocument
from lib import related, search
from lib.wording import place_of, related_kinds
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Session

JUDGED = Path(__file__).parent / "judged" / "related.yaml"
RECORD_MODELS = (Session, Recommendation, ProposedActivity)
AT = 3


def judged():
    return yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["records"]


def record_keys():
    """{"source | place in it": (kind, id)} of every record a page shows related records on."""
    keys = {}
    for model in RECORD_MODELS:
        kind = search.kind_of(model)
        for pk, source, location in model.objects.values_list("pk", "source__slug", "source_location"):
            keys[f"{source} | {location}"] = (kind, pk)
    return keys


def places():
    documents = SearchDocument.objects.filter(kind__in=related_kinds())
    return {(d.kind, d.object_id): place_of(d.meeting, d.track, d.event) for d in documents}


def method_lists():
    lists = defaultdict(list)
    for row in RelatedRecord.objects.order_by("kind", "object_id", "rank"):
        lists[(row.kind, row.object_id)].append((row.related_kind, row.related_object_id))
    return lists


def subjects():
    """{(kind, id): {("theme", id), ("tag", id)...}}"""
    found = defaultdict(set)
    for model in RECORD_MODELS:
        kind = search.kind_of(model)
        for field in ("themes", "tags"):
            for pk, value in model.objects.filter(**{f"{field}__isnull": False}).values_list("pk", field):
                found[(kind, pk)].add((field, value))
    return found


def baseline_lists(records):
    """The records of other places sharing the most themes and tags with each of `records`."""
    where, shared = places(), subjects()
    lists = {}
    for record in records:
        scores = [
            (-len(shared[record] & shared[other]), other)
            for other in where
            if where[other] != where[record] and shared[record] & shared[other]
        ]
        lists[record] = [other for _, other in sorted(scores)[:AT]]
    return lists


def precision_at_3(lists, items=None, keys=None):
    items, keys = items or judged(), keys or record_keys()
    total = 0
    for item in items:
        relevant = {keys[name] for name in item["related"]}
        total += sum(1 for found in lists.get(keys[item["record"]], [])[:AT] if found in relevant) / AT
    return total / len(items)


def report():
    items, keys = judged(), record_keys()
    related.rebuild()
    method = precision_at_3(method_lists(), items, keys)
    baseline = precision_at_3(baseline_lists([keys[item["record"]] for item in items]), items, keys)
    print(f"{len(items)} judged records; precision at 3: related by wording {method:.2f}, baseline {baseline:.2f}")
