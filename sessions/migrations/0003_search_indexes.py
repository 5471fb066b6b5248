from django.db import migrations

from lib.db import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd", "0004_content_revision"),
        ("gfmd_sessions", "0002_history_and_version"),
    ]

    operations = [
        search_index(
            "gfmd_sessions", "Meeting", "meeting_search",
            ("city", "country", "overarching_theme"), ("summary", "chair"),
        ),
        search_index("gfmd_sessions", "Session", "session_search", ("title",), ("discussion", "co_chairs")),
    ]
