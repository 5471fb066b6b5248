"""The secretariat roles again, now that events, passages and the derived tables exist.

Editors edit events and passages like any content; the search index, the tag
snapshots and the content revision are derived data that nobody edits.
"""

import importlib

from django.db import migrations

roles = importlib.import_module("gfmd.migrations.0003_secretariat_roles")
DERIVED = ["searchdocument", "tagsnapshot", "contentrevision"]


def sync_roles(apps, schema_editor):
    roles.sync_roles(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[roles.EDITOR, roles.ADMIN]):
        derived = group.permissions.filter(content_type__app_label="gfmd", content_type__model__in=DERIVED)
        group.permissions.remove(*derived)


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd", "0006_tag_snapshots"),
        ("gfmd_sessions", "0006_search_in_one_document"),
        ("recommendations", "0007_acronym_is_an_address"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
