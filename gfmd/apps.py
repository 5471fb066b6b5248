from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from gfmd import search_documents
        from lib import caching, editing, search
        from lib.content import content_models

        search_documents.register()
        # A renamed tag shows on every page of the records it tags; every change reaches the search index too.
        caching.watch([*content_models(), TaggedItem, Tag], also=[search.record_changed])
        editing.count_tag_edits_as_record_edits()
        post_migrate.connect(build_missing_search_index, sender=self, dispatch_uid="gfmd-build-search-index")


def build_missing_search_index(using, **kwargs):
    """A database migrated to the search index with its content already in gets the index built once."""
    from django.db import connections

    from lib import search

    Document = search.index_model()
    # A migration back to before the index leaves no table to fill.
    if Document._meta.db_table not in connections[using].introspection.table_names():
        return
    if Document.objects.using(using).exists():
        return
    if any(kind.queryset().exists() for kind in search.KINDS.values()):
        search.rebuild()
