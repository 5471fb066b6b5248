"""The secretariat roles again, now that links by editors exist: editors add and change them like any content."""

import importlib

from django.db import migrations

roles = importlib.import_module("gfmd.migrations.0007_roles_cover_events_and_passages")


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd", "0010_source_texts_and_anchors"),
        ("recommendations", "0011_links_by_editors"),
    ]

    operations = [migrations.RunPython(roles.sync_roles, migrations.RunPython.noop)]
