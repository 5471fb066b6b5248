from django.db import migrations

from lib.db import run_sql_on


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd", "0012_related_records_by_wording"),
    ]

    operations = [
        # A search reads the vector of every document a word may match. PostgreSQL moved it out of the row, to
        # the TOAST table, beside the long texts: a common word's search (half the documents at 100x) read each
        # from there, 36 to 43 ms; kept in the row, compressed where long, it takes 17 to 28 ms, and the texts
        # go out instead. The rows written before are written again, so that their vectors move too.
        run_sql_on(
            "postgresql",
            [
                "ALTER TABLE gfmd_searchdocument ALTER COLUMN vector SET STORAGE MAIN",
                "UPDATE gfmd_searchdocument SET vector = vector || ''::tsvector WHERE vector IS NOT NULL",
            ],
            ["ALTER TABLE gfmd_searchdocument ALTER COLUMN vector SET STORAGE EXTENDED"],
        ),
    ]
