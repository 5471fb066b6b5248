from django.db import migrations

from lib.db import run_sql_on


class Migration(migrations.Migration):
    """Search reads one document per record (gfmd.SearchDocument): the per-table indexes go."""

    dependencies = [
        ("gfmd_sessions", "0004_untitled_sessions"),
        ("gfmd", "0005_search_documents"),
    ]

    operations = [
        run_sql_on(
            "postgresql",
            ["DROP INDEX IF EXISTS meeting_search", "DROP INDEX IF EXISTS session_search"],
            [],
        ),
    ]
