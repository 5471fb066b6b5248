from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from gfmd import search_documents

        search_documents.register()
        # A migrate is no write of the content: what the search index needs of a migrated database is built here.
        post_migrate.connect(build_missing_search_index, sender=self, dispatch_uid="gfmd-build-search-index")


def build_missing_search_index(using, **kwargs):
    """What a database needs of the search index beyond its tables, after every migrate.

    On SQLite the FTS5 table, which migration gfmd/0005 creates, for a
    database built from the models without migrations (the tests' database);
    and the index itself, built once, for a database migrated to it with its
    content already in.
    """
    from django.db import connections, transaction

    from lib import related, search
    from lib.caching import content_changed

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
        with transaction.atomic(using=using):
            search.rebuild()
            related.rebuild()
            content_changed()
