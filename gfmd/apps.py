from django.apps import AppConfig


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from taggit.models import TaggedItem

        from lib import caching
        from lib.content import content_models

        caching.watch([*content_models(), TaggedItem])
