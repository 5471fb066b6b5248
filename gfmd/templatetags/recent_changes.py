from django import template
from django.contrib.admin.models import LogEntry
from django.urls import NoReverseMatch, reverse

from lib.content import content_models

register = template.Library()


@register.simple_tag
def recent_changes(user, limit=15):
    """The latest admin changes; changes to accounts only for those who manage accounts."""
    entries = LogEntry.objects.select_related("content_type", "user").order_by("-action_time")
    if not user.has_perm("auth.view_user"):
        # Tags are content too: renaming one changes the public pages.
        labels = {model._meta.app_label for model in content_models()} | {"taggit"}
        entries = entries.filter(content_type__app_label__in=labels)
    entries = list(entries[:limit])
    for entry in entries:
        # A deleted record brought back from its history is a change to Django, and a restore to its editor.
        entry.restored = entry.is_change() and entry.change_message.startswith("Restored")
        if entry.is_deletion() and entry.content_type_id:
            # A deleted record is restored from its history.
            try:
                entry.history_url = reverse(
                    f"admin:{entry.content_type.app_label}_{entry.content_type.model}_history", args=[entry.object_id]
                )
            except NoReverseMatch:
                entry.history_url = None
    return entries
