"""Database operations that exist on one database only."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def search_vector(title_fields, body_fields, config="english"):
    """The weighted vector the first GIN indexes were built on (migrations 0003 of the content apps)."""
    vector = None
    for fields, weight in ((title_fields, "A"), (body_fields, "B")):
        for field in fields:
            part = SearchVector(field, weight=weight, config=config)
            vector = part if vector is None else vector + part
    return vector


def search_index(app_label, model_name, name, title_fields, body_fields):
    """A migration operation building a GIN full-text index on PostgreSQL, and nothing on SQLite.

    The first search indexes, one per searched table; later migrations drop
    them for the one search document per record (gfmd.SearchDocument).
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


def run_sql_on(vendor, forwards, backwards):
    """A migration operation running SQL on one database (`postgresql`, `sqlite`) and nothing on the other.

    Indexes and tables only one database can hold stay out of the models, so
    that the other never tries to build them (SQLite rebuilds a table to alter it).
    """

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == vendor:
                for statement in statements:
                    schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forwards), run(backwards), elidable=False)
