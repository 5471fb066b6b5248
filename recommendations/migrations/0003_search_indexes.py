from django.db import migrations

from lib.db import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_history_and_version"),
    ]

    operations = [
        search_index("recommendations", "ProposedActivity", "activity_search", (), ("text",)),
        search_index("recommendations", "Recommendation", "recommendation_search", ("group_heading",), ("text",)),
    ]
