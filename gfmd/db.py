"""Database operations that exist on PostgreSQL only."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """A GIN full-text index: built on PostgreSQL, a no-op on SQLite, which has no GIN."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
