from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from gfmd.models import SourceDocument
from lib.editing import ContentAdmin

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
