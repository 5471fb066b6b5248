"""Records a test module adds to the small made-up content (tests/small_fixtures), written together
through the write path at the end, so that the pages, the search and the facet index see them."""

from gfmd.models import SourceDocument
from lib.caching import content_changed


class Additions:
    """What a module adds to the small content.

    `add` makes a record quoted from the content's test report, with its themes,
    tags and agencies; `keep` counts in records made some other way; `write`
    sends them all through the write path, in the caller's transaction.
    """

    def __init__(self):
        self.report = SourceDocument.objects.get(slug="test-report")
        self.records = []

    def add(self, model, *, themes=(), tags=(), agencies=(), **fields):
        record = model.objects.create(source=self.report, **fields)
        if themes:
            record.themes.set(themes)
        if tags:
            record.tags.add(*tags)
        if agencies:
            record.gmg_members.set(agencies)
        self.records.append(record)
        return record

    def keep(self, *records):
        self.records.extend(records)

    def write(self):
        content_changed(self.records)
