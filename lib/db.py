"""Database operations that exist on PostgreSQL only."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from lib.search import search_vector


def search_index(app_label, model_name, name, title_fields, body_fields):
    """A migration operation building a GIN full-text index on PostgreSQL, and nothing on SQLite.

    The index stays out of the models' Meta, so that SQLite, which rebuilds a
    table to alter it, never tries to build an index it cannot hold. Its
    expression must stay the model's search document (lib.search.document):
    a change of a model's SEARCH_*_FIELDS needs a new migration that drops
    and rebuilds the index.
    """

    def index():
        return GinIndex(search_vector(title_fields, body_fields), name=name)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(app_label, model_name), index())

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(app_label, model_name), index())

    return migrations.RunPython(forwards, backwards, elidable=False)
