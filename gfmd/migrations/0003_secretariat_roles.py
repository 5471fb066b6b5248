"""The two secretariat roles, so that every installation has them.

Run again from a later migration when content models are added, so that the
roles cover them too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["gfmd", "themes", "gfmd_sessions", "recommendations", "taggit"]
EDITOR = "Secretariat editor"
ADMIN = "Secretariat admin"


def sync_roles(apps, schema_editor):
    # Permissions are otherwise only created after the last migration has run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    # History records are read through their record's own admin page, never edited.
    content = content.exclude(content_type__model__startswith="historical")

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(content.exclude(codename__startswith="delete_"))

    admin, _ = Group.objects.get_or_create(name=ADMIN)
    accounts = Permission.objects.filter(
        content_type__app_label="auth", content_type__model__in=["user", "group"]
    ) | Permission.objects.filter(content_type__app_label="axes")
    admin.permissions.set(content | accounts)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, ADMIN]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd", "0002_history_and_version"),
        ("themes", "0002_history_and_version"),
        ("gfmd_sessions", "0002_history_and_version"),
        ("recommendations", "0002_history_and_version"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
