from django.apps import AppConfig


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from lib import caching, editing, history
        from lib.content import content_models

        # A renamed tag shows on every page of the records it tags.
        caching.watch([*content_models(), TaggedItem, Tag])
        editing.count_tag_edits_as_record_edits()
        # A revert or a restore gives a record back the tags of its version.
        history.keep_tags(content_models())
