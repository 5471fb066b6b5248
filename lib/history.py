"""What a revert needs beyond django-simple-history's records: tags, and links made after a save.

A version of a record is one save. Its many-to-many links (themes, sources)
are set just after the save, which django-simple-history records as further
rows of the same version; its tags are kept as a TagSnapshot (gfmd) at each
version that changes them (`record_tags`, called by the admin, the tag admin
and load_gfmd). A revert takes both as they stood at the end of that version.
"""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType

from lib.models import configured_model


def snapshot_model():
    return configured_model("TAG_SNAPSHOT_MODEL")


def has_tags(model_or_instance):
    opts = model_or_instance._meta
    return any(f.name == "version" for f in opts.concrete_fields) and any(f.name == "tags" for f in opts.many_to_many)


def record_tags(instance):
    """Remember the record's tags as they are now, at its current version: called by whatever sets them."""
    if not has_tags(instance) or instance.pk is None:
        return
    snapshot_model().objects.update_or_create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        version=instance.version,
        defaults={"names": sorted(instance.tags.names())},
    )


def tags_at(instance, version):
    """The tags as they were at a version; None when they were never recorded.

    Tags are recorded when they change, so a version's tags are those of the latest snapshot up to it.
    """
    names = (
        snapshot_model()
        .objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk, version__lte=version
        )
        .order_by("-version")
        .values_list("names", flat=True)
        .first()
    )
    if names is None:
        return None
    # Shaped as tags, which is what taggit's form field takes as its initial value.
    return [SimpleNamespace(name=name) for name in names]


def last_record_of_version(record):
    """The latest history row of a version: links set after the save are recorded in rows of their own."""
    pk_name = record.instance_type._meta.pk.attname
    rows = type(record).objects.filter(**{pk_name: getattr(record, pk_name), "version": record.version})
    # A deletion's row has lost its links already.
    return rows.exclude(history_type="-").order_by("-history_date", "-history_id").first() or record


def last_version(record):
    """The highest version a record's history holds, deleted or not."""
    pk_name = record.instance_type._meta.pk.attname
    rows = type(record).objects.filter(**{pk_name: getattr(record, pk_name)})
    return rows.order_by("-version").values_list("version", flat=True).first() or record.version


def last_row_id(model):
    """The newest history row of any record of the model: what a save writes comes after it."""
    history_model = model.history.model
    return history_model._default_manager.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def squash(instance, after):
    """One history row for one save: django-simple-history writes a row at the save, and one more for each of its
    links set, cleared or added after it (a change of themes wrote three). The last row holds them all; it takes the
    first one's kind (created, changed) and the others go."""
    rows = list(
        instance.history.filter(history_id__gt=after).order_by("history_id").values_list("history_id", "history_type")
    )
    if len(rows) < 2:
        return
    (_, kind), (kept, _) = rows[0], rows[-1]
    gone = [row_id for row_id, _ in rows[:-1]]
    history_model = instance.history.model
    for links in history_model._meta.related_objects:  # the links each row kept, which its deletion leaves
        links.related_model._default_manager.filter(**{f"{links.field.name}__in": gone}).delete()
    history_model._default_manager.filter(history_id__in=gone).delete()
    history_model._default_manager.filter(history_id=kept).update(history_type=kind)
