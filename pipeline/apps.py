from django.apps import AppConfig


class PipelineConfig(AppConfig):
    """Batch work over every content app; nothing in the web layer imports it."""

    name = "pipeline"
    verbose_name = "Content pipeline"
