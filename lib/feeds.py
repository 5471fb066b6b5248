"""A list or a search as an Atom feed (`?format=atom`): the records it holds that were added or changed,
newest change first, read from their history (django-simple-history), so that a reader's feed reader says
when a record is corrected.

Each entry is one saved version of a record: its id is the change's own, so that a correction is a new
entry rather than an edit of an old one, which most readers would not show again. Bounded whatever the
data: the latest FEED_SIZE changes, of a view of up to BY_ID records asked for by their ids; of a larger
view, those among the latest SCANNED changes of the list's kind (the feed says so).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from lib.links import absolute

FEED_SIZE = 50
BY_ID = 500
SCANNED = 2000
ADDED = "+"


@dataclass
class Change:
    """One saved version of a record, as its history keeps it."""

    pk: int
    history_id: int
    date: datetime
    kind: str  # "+" added, "~" changed
    version: int
    reason: str | None
    model: type
    changed: list = field(default_factory=list)  # the names of the fields this version changed
    title: str = ""
    url: str = ""


_history_models = {}


def has_history(model):
    return hasattr(model, "history")


def history_of(model):
    """The model's history table: read once, as django-simple-history builds its manager anew at each access."""
    if model not in _history_models:
        _history_models[model] = model.history.model
    return _history_models[model]


def latest_changes(model, pks=None, *, keep=None):
    """The model's newest saved versions (deletions left out), newest first, at most FEED_SIZE: of the records
    `pks`, or among the newest SCANNED those whose pk `keep(pk)` keeps. One query."""
    rows = history_of(model)._default_manager.exclude(history_type="-").order_by("-history_date", "-history_id")
    rows = rows.values_list("id", "history_id", "history_date", "history_type", "version", "history_change_reason")
    if pks is not None:
        rows = rows.filter(id__in=pks)[: FEED_SIZE * 2]
    else:
        rows = [row for row in rows[:SCANNED] if keep(row[0])]
    changes, seen = [], set()
    # Links set after a save are kept as further rows of its version: a version is one entry, its newest row.
    for row in rows:
        if (row[0], row[4]) not in seen:
            seen.add((row[0], row[4]))
            changes.append(Change(*row, model=model))
    return changes[:FEED_SIZE]


def describe(changes):
    """Set on each change the fields it changed, against the version before: one query a model, of values."""
    by_model = {}
    for change in changes:
        by_model.setdefault(change.model, []).append(change)
    for model, its_changes in by_model.items():
        history = history_of(model)
        fields = [f for f in history.tracked_fields if f.editable and f.name != "version"]
        wanted = {(c.pk, v) for c in its_changes for v in (c.version, c.version - 1)}
        rows = (
            history._default_manager.filter(id__in={c.pk for c in its_changes}, version__in={v for _, v in wanted})
            .order_by("history_id")
            .values_list("id", "version", *(f.attname for f in fields))
        )
        # The newest row of each version holds it whole (a later row of a version has its links too).
        versions = {(pk, version): values for pk, version, *values in rows if (pk, version) in wanted}
        for change in its_changes:
            now, before = versions.get((change.pk, change.version)), versions.get((change.pk, change.version - 1))
            if change.kind != ADDED and now is not None and before is not None:
                change.changed = [str(f.verbose_name) for f, a, b in zip(fields, now, before, strict=True) if a != b]


def summary(change):
    """What a version did, for a reader: added, or the fields it changed; and the reason its history gives."""
    reason = f" ({change.reason})" if change.reason else ""
    if change.kind == ADDED:
        return escape(gettext("Added, version {version}{reason}.").format(version=change.version, reason=reason))
    if change.changed:
        message = gettext("Version {version}{reason} changed: {fields}.")
        return escape(message.format(version=change.version, reason=reason, fields=", ".join(change.changed)))
    message = gettext("Version {version}{reason}: its links (themes, sources) or tags changed.")
    return escape(message.format(version=change.version, reason=reason))


def atom(*, title, path, page_path, changes, note):
    """The Atom response: `path` the feed's own address with its query, `page_path` the page it follows."""
    feed = Atom1Feed(
        title=title,
        link=absolute(page_path),
        description=note,
        subtitle=note,
        feed_url=absolute(path),
        feed_guid=absolute(path),
        author_name=gettext("GFMD Knowledge Base"),
        author_link=settings.SITE_URL + "/",
        language="en",
    )
    for change in changes:
        link = absolute(change.url)
        feed.add_item(
            title=change.title,
            link=link,
            description=summary(change),
            unique_id=f"{link}#change-{change.history_id}",
            updateddate=change.date,
            pubdate=change.date,
        )
    # Written whole, then sent: written into the response, it would be thousands of small writes.
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
