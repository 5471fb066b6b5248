from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from gfmd import search_documents
        from lib import caching, editing, history, search
        from lib.content import content_models

        search_documents.register()
        # A renamed tag shows on every page of the records it tags; every change reaches the search index too.
        caching.watch([*content_models(), TaggedItem, Tag], also=[search.record_changed])
        editing.count_tag_edits_as_record_edits()
        # A revert or a restore gives a record back the tags of its version.
        history.keep_tags(content_models())
        post_migrate.connect(build_missing_search_index, sender=self, dispatch_uid="gfmd-build-search-index")


def build_missing_search_index(using, **kwargs):
    """What a database needs of the search index beyond its tables, after every migrate.

    On SQLite the FTS5 table, which migration gfmd/0005 creates, for a
    database built from the models without migrations (the tests' database);
    and the index itself, built once, for a database migrated to it with its
    content already in.
    """
    from django.db import connections

    from lib import search

    connection = connections[using]
    Document = search.index_model()
    # A migration back to before the index leaves no table to fill.
    if Document._meta.db_table not in connection.introspection.table_names():
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(search.fts_create_sql())
    if Document.objects.using(using).exists():
        return
    if any(kind.queryset().exists() for kind in search.KINDS.values()):
        search.rebuild()
