"""A planned session's held_as is a link by editors now (recommendations 0011 carried it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd_sessions", "0008_texts_have_a_length_limit"),
        ("recommendations", "0011_links_by_editors"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalsession",
            name="held_as",
        ),
        migrations.RemoveField(
            model_name="session",
            name="held_as",
        ),
    ]
