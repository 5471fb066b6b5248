from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from taggit.admin import TagAdmin
from taggit.models import Tag, TaggedItem

from gfmd import login
from gfmd.models import SourceDocument
from lib.editing import ContentAdmin, describe_dependents, taggings_of, tags_edited

admin.site.site_header = "GFMD Knowledge Base"
admin.site.site_title = "GFMD Knowledge Base admin"
admin.site.index_title = "Secretariat editing"


@admin.register(SourceDocument)
class SourceDocumentAdmin(ContentAdmin):
    list_display = ["title", "slug", "issuer", "date", "kind"]
    list_filter = ["kind", "issuer"]
    search_fields = ["title", "issuer", "slug", "description"]
    ordering = ["date", "title"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}


class AccountAdmin(UserAdmin):
    """A secretariat admin manages accounts and their roles; only a superuser grants superuser status or permissions."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Changing a superuser's password or address would be a way to become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class RoleAdmin(GroupAdmin):
    """The permissions of a role are set by migrations and superusers, not by those who hold it."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("permissions")
        return fields


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


class KeptTagAdmin(TagAdmin):
    """A tag still on records is not deleted, which would take it off them for good: merge it instead.

    Records are tagged on their own pages; the list of tagged items by content type and id that
    taggit adds here is left out, as nobody edits records that way. Renaming, merging and deleting
    change the records the tags were on, through the write path (`tags_edited`).
    """

    inlines = []

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and form.has_changed():
                tags_edited(taggings_of([obj]))

    def delete_model(self, request, obj):
        with transaction.atomic():
            taggings = taggings_of([obj])
            super().delete_model(request, obj)
            tags_edited(taggings)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            taggings = taggings_of(queryset)
            super().delete_queryset(request, queryset)
            tags_edited(taggings)

    def merge_tags_view(self, request):
        with transaction.atomic():
            # The taggings the merge moves or drops, read before it does.
            selected = [pk for pk in request.session.get("selected_tag_ids", "").split(",") if pk.isdigit()]
            taggings = taggings_of(selected)
            response = super().merge_tags_view(request)
            if request.method == "POST" and response.status_code == 302:
                tags_edited(taggings)
        return response

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        items = TaggedItem.objects.filter(tag__in=objs).select_related("content_type")
        tagged = [item.content_object for item in items if item.content_object is not None]
        if tagged:
            protected = [*protected, "Merge it into another tag instead; these records carry it:"]
            protected += describe_dependents(tagged)
        return deleted, model_count, perms_needed, protected


admin.site.unregister(Tag)
admin.site.register(Tag, KeptTagAdmin)

admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, login.AccessAttemptAdmin)
