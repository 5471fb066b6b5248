from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy
from taggit.admin import TagAdmin
from taggit.models import Tag, TaggedItem

from gfmd import login
from gfmd.management.commands.create_editor import ROLES
from gfmd.models import SourceDocument
from lib.editing import (
    TAG_NAME_LENGTH,
    ContentAdmin,
    describe_dependents,
    merge_tags,
    tag_name_problem,
    taggings_of,
    tags_edited,
)
from lib.spreadsheet import refuse_formula

admin.site.site_header = gettext_lazy("GFMD Knowledge Base")
admin.site.site_title = gettext_lazy("GFMD Knowledge Base admin")
admin.site.index_title = gettext_lazy("Secretariat editing")


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
    """The permissions of a role are set by migrations and superusers, not by those who hold it.

    The two secretariat roles are renamed or deleted by superusers only: `create_editor` and the migrations find
    them by name, and editors without theirs could sign in to nothing.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("permissions")
            if obj is not None and obj.name in ROLES.values():
                fields.append("name")
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in ROLES.values() and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


def names(tags):
    return ", ".join(f"“{tag}”" for tag in tags)


class MergeTagsForm(forms.Form):
    new_tag_name = forms.CharField(
        label=gettext_lazy("Merge them into"),
        max_length=TAG_NAME_LENGTH,
        help_text=gettext_lazy(
            "The name of a tag, new or existing: the records of the tags above get it instead of theirs."
        ),
    )

    def clean_new_tag_name(self):
        name = self.cleaned_data["new_tag_name"]
        problem = tag_name_problem(name)
        if problem:
            raise ValidationError(problem)
        return name


class TagForm(forms.ModelForm):
    """A tag renamed here follows the rules of a tag typed on a record."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        problem = tag_name_problem(name)
        if problem:
            raise ValidationError(problem)
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        refuse_formula(slug)
        return slug


class KeptTagAdmin(TagAdmin):
    """A tag still on records is not deleted, which would take it off them for good: merge it instead.

    Records are tagged on their own pages; the list of tagged items by content type and id that
    taggit adds here is left out, as nobody edits records that way. Renaming, merging and deleting
    change the records the tags were on, through the write path (`tags_edited`).
    """

    inlines = []
    form = TagForm
    change_form_template = "admin/content_change_form.html"

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
        """taggit's merge, held to the rules of a tag edit: a name with a letter or digit, history, one transaction."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        selected = [pk for pk in request.session.get("selected_tag_ids", "").split(",") if pk.isdigit()]
        tags = list(Tag.objects.filter(pk__in=selected).order_by("name"))
        if not tags:
            self.message_user(
                request,
                gettext(
                    "No tags are selected to merge: tick them in the list of tags, then choose “Merge selected tags”."
                ),
                level=messages.ERROR,
            )
            return redirect("admin:taggit_tag_changelist")
        form = MergeTagsForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    into, created = merge_tags(tags, form.cleaned_data["new_tag_name"])
                    self.log_merge(request, tags, into, created)
            except IntegrityError as error:
                message = gettext("Nothing was merged: the database refused it ({reason}).")
                form.add_error(None, message.format(reason=str(error).splitlines()[0]))
            else:
                request.session.pop("selected_tag_ids", None)
                message = gettext("Merged {tags} into “{into}”.").format(tags=names(tags), into=into)
                self.message_user(request, message, level=messages.SUCCESS)
                return redirect("admin:taggit_tag_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge tags"),
            "opts": self.opts,
            "tags": tags,
            "form": form,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge_tags.html", context)

    def log_merge(self, request, tags, into, created):
        merged = [tag for tag in tags if tag.pk != into.pk]
        message = f"Merged {names(merged)} into it."
        if created:
            self.log_addition(request, into, message)
        else:
            self.log_change(request, into, message)
        if merged:
            LogEntry.objects.log_actions(
                user_id=request.user.pk, queryset=merged, action_flag=DELETION, change_message=f"Merged into “{into}”."
            )

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        items = TaggedItem.objects.filter(tag__in=objs).select_related("content_type")
        tagged = [item.content_object for item in items if item.content_object is not None]
        if tagged:
            protected = [*protected, gettext("Merge it into another tag instead; these records carry it:")]
            protected += describe_dependents(tagged)
        return deleted, model_count, perms_needed, protected


admin.site.unregister(Tag)
admin.site.register(Tag, KeptTagAdmin)

admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, login.AccessAttemptAdmin)
