from django.db import migrations

from lib.db import run_sql_on


class Migration(migrations.Migration):
    """Search reads one document per record (gfmd.SearchDocument): the per-table indexes go."""

    dependencies = [
        ("recommendations", "0003_search_indexes"),
        ("gfmd", "0005_search_documents"),
    ]

    operations = [
        run_sql_on(
            "postgresql",
            ["DROP INDEX IF EXISTS activity_search", "DROP INDEX IF EXISTS recommendation_search"],
            [],
        ),
    ]
