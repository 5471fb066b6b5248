from django.db import migrations

from lib.db import search_index


def dropped(index):
    """The reverse of a search_index operation: dropped going forwards, built again going back."""
    return migrations.RunPython(index.reverse_code, index.code, elidable=False)


class Migration(migrations.Migration):
    """Search reads one document per record (gfmd.SearchDocument): the per-table indexes go."""

    dependencies = [
        ("gfmd_sessions", "0005_held_and_planned_events_passages_coverage"),
        ("gfmd", "0005_search_documents"),
    ]

    operations = [
        dropped(
            search_index(
                "gfmd_sessions", "Meeting", "meeting_search",
                ("city", "country", "overarching_theme"), ("summary", "chair"),
            )
        ),
        dropped(search_index("gfmd_sessions", "Session", "session_search", ("title",), ("discussion", "co_chairs"))),
    ]
