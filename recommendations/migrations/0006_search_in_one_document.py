from django.db import migrations

from lib.db import search_index


def dropped(index):
    """The reverse of a search_index operation: dropped going forwards, built again going back."""
    return migrations.RunPython(index.reverse_code, index.code, elidable=False)


class Migration(migrations.Migration):
    """Search reads one document per record (gfmd.SearchDocument): the per-table indexes go."""

    dependencies = [
        ("recommendations", "0005_index_kind_and_track_for_facets"),
        ("gfmd", "0005_search_documents"),
    ]

    operations = [
        dropped(search_index("recommendations", "ProposedActivity", "activity_search", (), ("text",))),
        dropped(
            search_index("recommendations", "Recommendation", "recommendation_search", ("group_heading",), ("text",))
        ),
    ]
