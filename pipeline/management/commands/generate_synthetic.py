"""Synthetic copies of the real content, for benchmarks only.

Every synthetic record cites the one source document SYNTHETIC_SOURCE
(pipeline.synthetic), and synthetic meetings are held from the year 2100 on
under slugs starting "synthetic-", so that they can never be mistaken for the
Forum's own records and --clear finds all of them, and nothing else.
"""

import datetime
import time
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, router, transaction
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from gfmd.models import SourceDocument
from lib import related, search
from lib.caching import content_changed
from lib.content import content_models
from pipeline.synthetic import SYNTHETIC_SOURCE, synthetic
from sessions.models import Meeting

FIRST_YEAR = 2100
FIRST_ORDINAL = 1000
MAX_SCALE = 1000
BATCH_SIZE = 500


# Records unique across the knowledge base (by slug, acronym, or place in a source): the copies share them.
SHARED_BY_COPIES = {
    "gfmd.SourceDocument",
    "themes.Theme",
    "recommendations.GMGMember",
    "gfmd_sessions.Event",
    "gfmd_sessions.Passage",
}


def cloned():
    """The models whose records are copied, parents before children."""
    return [model for model in content_models() if model._meta.label not in SHARED_BY_COPIES]


class Command(BaseCommand):
    help = (
        "Add synthetic records shaped like the real content, N times its counts, for benchmarks only. "
        f"They all cite the source '{SYNTHETIC_SOURCE}', and their meetings are held from {FIRST_YEAR} on. "
        "Replaces synthetic records made earlier; --clear removes them and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Synthetic copies of every real record to add (default 1)."
        )
        parser.add_argument("--clear", action="store_true", help="Only remove every synthetic record.")

    def handle(self, *args, scale, clear, **options):
        if not clear and not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be a whole number from 1 to {MAX_SCALE}.")
        started = time.monotonic()
        with transaction.atomic():
            records, links = clear_synthetic()
            if records:
                self.stdout.write(
                    f"Removed {records} synthetic records and {links} links to themes, tags and agencies."
                )
            if not clear:
                records, links = generate(scale, self.stdout)
                self.stdout.write(
                    f"Created {records} synthetic records ({scale}x the real content) "
                    f"and {links} links to themes, tags and agencies."
                )
            # Bulk writes bypass the write path: without this, cached pages and search would show the content as it was.
            self.stdout.write("Rebuilding the search index:")
            search.rebuild(self.stdout)
            self.stdout.write("Computing the related records:")
            related.rebuild(self.stdout)
            content_changed()
        if connection.vendor == "postgresql":
            search.vacuum()
        # The planner should plan for the tables as they now are: PostgreSQL's autovacuum would get to it
        # later, SQLite never does by itself (without statistics it picks an index on parent_id, null for
        # nearly every row, over the one on meeting_id).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")


def tagged(model):
    return any(isinstance(field, TaggableManager) for field in model._meta.many_to_many)


def link_fields(model):
    """The many-to-many fields whose links are copied: not other_sources, as synthetic records cite one source."""
    return [
        field
        for field in model._meta.many_to_many
        if not isinstance(field, TaggableManager) and field.related_model is not SourceDocument
    ]


def raw_delete(queryset):
    # Straight SQL, without loading rows or sending signals: a signal per row would write
    # a history record for every deleted benchmark record and take minutes at scale 100.
    return queryset._raw_delete(router.db_for_write(queryset.model))


def clear_synthetic():
    """Delete every record that cites the synthetic source, the links to them, and the source."""
    source = SourceDocument.objects.filter(slug=SYNTHETIC_SOURCE).first()
    if source is None:
        return 0, 0
    records = links = 0
    for model in reversed(cloned()):
        ids = model._default_manager.filter(synthetic(model)).values("pk")
        if tagged(model):
            content_type = ContentType.objects.get_for_model(model)
            links += raw_delete(TaggedItem.objects.filter(content_type=content_type, object_id__in=ids))
        for field in model._meta.many_to_many:
            if isinstance(field, TaggableManager):
                continue
            through = field.remote_field.through
            links += raw_delete(through._default_manager.filter(**{f"{field.m2m_field_name()}__in": ids}))
            if field.related_model is SourceDocument:
                # A real record may have been given the synthetic source as a further source.
                links += raw_delete(through._default_manager.filter(**{field.m2m_reverse_field_name(): source}))
        records += raw_delete(model._default_manager.filter(synthetic(model)))
    records += raw_delete(SourceDocument.objects.filter(pk=source.pk))
    return records, links


def generate(scale, stdout):
    source = SourceDocument(
        slug=SYNTHETIC_SOURCE,
        title="Synthetic benchmark data (not GFMD content)",
        kind=SourceDocument.Kind.REPORT,
        description="Made by generate_synthetic to measure the site at many times its size. "
        "No meeting of the Forum said any of it.",
    )
    SourceDocument.objects.bulk_create([source])
    if source.pk is None:
        source = SourceDocument.objects.get(slug=SYNTHETIC_SOURCE)
    # {model: {real pk: [copy's pk for copy 0, 1, ...]}}
    copies = {}
    records = links = 0
    for model in cloned():
        originals = list(model._default_manager.exclude(synthetic(model)).order_by("pk"))
        copies[model] = clone(model, originals, scale, source, copies)
        records += len(originals) * scale
        for field in link_fields(model):
            links += copy_links(model, field, originals, copies[model])
        if tagged(model):
            links += copy_tags(model, originals, copies[model])
        stdout.write(f"  {model._meta.verbose_name_plural}: {len(originals) * scale}")
    return records + 1, links


def clone(model, originals, scale, source, copies):
    """Bulk-create `scale` copies of each original, pointing to the copies of what they point to."""
    mapping = defaultdict(lambda: [None] * scale)
    # Rows that point to a row of their own model (a sub-point's parent) come after that row.
    self_fields = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
    index_of = {o.pk: i for i, o in enumerate(originals)}
    remaining = originals
    while remaining:
        ready = [o for o in remaining if all(ready_for(o, f, mapping) for f in self_fields)]
        if not ready:
            raise CommandError(f"{model.__name__}: records point to each other in a circle; cannot copy them.")
        rows = []
        for copy in range(scale):
            for original in ready:
                number = copy * len(originals) + index_of[original.pk]
                rows.append(copy_of(model, original, copy, number, source, copies, mapping))
        model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
        index = 0
        for copy in range(scale):
            for original in ready:
                mapping[original.pk][copy] = rows[index].pk
                index += 1
        done = {o.pk for o in ready}
        remaining = [o for o in remaining if o.pk not in done]
    return mapping


def ready_for(original, field, mapping):
    target = getattr(original, field.attname)
    return target is None or target in mapping


def copy_of(model, original, copy, number, source, copies, own):
    """Copy `copy` of a record; `number` counts the copies of every record of the model."""
    row = model()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(original, field.attname)
        if field.is_relation and value is not None:
            target = field.related_model
            if target is SourceDocument:
                value = source.pk
            elif target is model:
                value = own[value][copy]
            elif target in copies:
                value = copies[target][value][copy]
        setattr(row, field.attname, value)
    row.version = 1
    row.loaded_version = None
    if model is Meeting:
        shift_meeting(row, original, FIRST_YEAR + number, FIRST_ORDINAL + number)
    return row


def shift_meeting(row, original, year, ordinal):
    row.year = year
    row.ordinal = ordinal
    row.slug = f"synthetic-{original.slug.rsplit('-', 1)[0]}-{year}"[:80]
    row.city = f"{original.city} (synthetic)"[:100]
    for field in Meeting._meta.concrete_fields:
        if isinstance(field, models.DateField) and getattr(original, field.attname):
            setattr(row, field.attname, moved(getattr(original, field.attname), year - original.year))


def moved(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February in a year that has none
        return date.replace(year=date.year + years, day=28) + datetime.timedelta(days=1)


def copy_links(model, field, originals, mapping):
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    own_column, other_column = f"{own}_id", f"{other}_id"
    links = through._default_manager.filter(**{f"{own}__in": [o.pk for o in originals]}).values_list(
        own_column, other_column
    )
    rows = [through(**{own_column: copy_pk, other_column: target}) for pk, target in links for copy_pk in mapping[pk]]
    through._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def copy_tags(model, originals, mapping):
    content_type = ContentType.objects.get_for_model(model)
    items = TaggedItem.objects.filter(content_type=content_type, object_id__in=[o.pk for o in originals]).values_list(
        "object_id", "tag_id"
    )
    rows = [
        TaggedItem(content_type=content_type, object_id=copy_pk, tag_id=tag_id)
        for object_id, tag_id in items
        for copy_pk in mapping[object_id]
    ]
    TaggedItem.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)
