from django.apps import AppConfig


class GfmdConfig(AppConfig):
    name = "gfmd"
    verbose_name = "Sources"

    def ready(self):
        from django.apps import apps
        from taggit.models import TaggedItem

        from lib import caching

        content = [
            model
            for model in apps.get_models()
            if model._meta.app_label in CONTENT_APPS
            and model is not caching.revision_model()
            and not model.__name__.startswith("Historical")
        ]
        caching.watch([*content, TaggedItem])


# The apps whose records the public pages show.
CONTENT_APPS = {"gfmd", "themes", "gfmd_sessions", "recommendations"}
