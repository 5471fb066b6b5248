"""What every content admin shares: a form that refuses stale saves, history with revert, inlines.

Each app's admin.py registers its models with these classes. Every write they
make (a save with its inlines, links and tags, a deletion, a revert or a
restore, a tag renamed or merged) ends with the write path,
`lib.caching.content_changed`, in its transaction.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.widgets import AdminTextInputWidget, AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name
from taggit.models import Tag, TaggedItem

from lib import anchoring, history, search
from lib.caching import content_changed
from lib.models import Versioned
from lib.spreadsheet import refuse_formula

SOURCE_FIELDS = ["source", "source_location", "other_sources", "editorial_note"]


def current_version(instance):
    """The version in the database, locking the row until the save is done."""
    rows = (
        type(instance)
        ._default_manager.select_for_update(of=("self",))
        .filter(pk=instance.pk)
        .order_by()  # a default ordering across a nullable relation would join rows PostgreSQL cannot lock
        .values_list("version", flat=True)
    )
    return next(iter(rows), None)


def describe_user(record):
    if record.history_user is not None:
        return record.history_user.get_full_name() or record.history_user.get_username()
    return record.history_change_reason or "a script"


def show(value):
    if value in (None, ""):
        return "(empty)"
    return f"“{Truncator(str(value)).chars(300)}”"


def show_m2m(field, rows):
    target = get_m2m_reverse_field_name(field)
    ids = [row[target] for row in rows]
    names = sorted(str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids))
    return ", ".join(names) or "(none)"


def conflict_messages(instance, seen):
    """Who saved the record since the editor opened it, and what they changed."""
    opts = instance._meta
    history = instance.history.order_by("history_date", "history_id").select_related("history_user")
    since = [record for record in history.filter(version__gt=seen)]
    before = history.filter(version__lte=seen).last()
    messages = []
    saves = "; ".join(
        gettext("{user} on {date} at {time}").format(
            user=describe_user(r),
            date=date_format(localtime(r.history_date), "j F Y"),
            time=time_format(localtime(r.history_date), "H:i"),
        )
        for r in since
    )
    if saves:
        message = gettext(
            "Someone else saved this {kind} while you were editing it ({saves}). Your changes have not been saved, "
            "so that theirs are not lost."
        )
    else:
        message = gettext(
            "Someone else saved this {kind} while you were editing it. Your changes have not been saved, "
            "so that theirs are not lost."
        )
    messages.append(message.format(kind=opts.verbose_name, saves=saves))
    if since and before is not None:
        delta = since[-1].diff_against(before, foreign_keys_are_objs=True)
        for change in delta.changes:
            field = opts.get_field(change.field)
            if field.many_to_many:
                old, new = show_m2m(field, change.old), show_m2m(field, change.new)
            else:
                old, new = show(change.old), show(change.new)
            message = gettext("{field} is now {new}; it was {old}.")
            messages.append(message.format(field=capfirst(field.verbose_name), new=new, old=old))
    messages.append(
        gettext("Copy what you wrote, reload the page to see the current version, and make your change again.")
    )
    return messages


class VersionedForm(forms.ModelForm):
    """Carries the version the editor opened; a save is refused if the record has moved on since."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.editing_existing:
            # A revert starts from an old version, but is checked against the current one.
            self.fields["seen_version"].initial = (
                current_version(self.instance) if self.reverting else self.instance.version
            )
            if self.reverting:
                self.initial.update(self.historical_m2m())
                tags = history.tags_at(self.instance, self.instance._history.version)
                if "tags" in self.fields and tags is not None:
                    self.initial["tags"] = tags

    @property
    def editing_existing(self):
        return self.instance.pk is not None and not self.instance._state.adding

    @property
    def reverting(self):
        return getattr(self.instance, "_history", None) is not None

    def historical_m2m(self):
        """The related records as they were in the version being restored."""
        record = history.last_record_of_version(self.instance._history)
        values = {}
        for field in record._history_m2m_fields:
            if field.name in self.fields:
                target = get_m2m_reverse_field_name(field)
                values[field.name] = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        return values

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        problems = [problem for problem in map(tag_name_problem, names) if problem]
        if problems:
            raise ValidationError(
                problems[:5] + [gettext("Separate tags with commas; put a tag with a comma in double quotes.")]
            )
        return names

    def clean(self):
        cleaned = super().clean()
        if self.editing_existing and (self.has_changed() or self.reverting):
            seen = cleaned.get("seen_version")
            current = current_version(self.instance)
            if current is None and self.reverting:
                # Restoring a deleted record from its history: it comes back as the version after its last.
                self.instance.version = history.last_version(self.instance._history)
                self.restoring = True
                return cleaned
            if current is None:
                message = gettext(
                    "This {kind} was deleted while you were editing it; your changes have not been saved."
                )
                raise ValidationError(message.format(kind=self.instance._meta.verbose_name))
            if seen != current:
                raise ValidationError(conflict_messages(self.instance, seen or 0))
            # A revert carries the old version number; the save counts on from the current one.
            self.instance.version = current
        return cleaned

    def _post_clean(self):
        """After the model's own validation, the texts it quotes must still be found in its source's stored
        text: an edit that would leave a record without its place in the source is refused on saving."""
        super()._post_clean()
        for field, message in anchoring.problems(self.instance).items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)


TAG_NAME_LENGTH = 100  # taggit's columns


def tag_name_problem(name):
    """What keeps a name from being a tag, or None: the same rules for a tag typed on a record, renamed or merged."""
    if not slugify(name, allow_unicode=True):
        # A tag's link is /sessions/?tag=<slug>; an empty slug would link to the whole list.
        return gettext("A tag needs at least one letter or digit: “{name}” has none.").format(name=name)
    if len(name) > TAG_NAME_LENGTH:
        message = gettext("A tag has at most {most} characters: “{name}” has {length}.")
        return message.format(most=TAG_NAME_LENGTH, name=Truncator(name).chars(40), length=len(name))
    try:
        refuse_formula(name)
    except ValidationError as error:
        return gettext("The tag “{name}”: {problem}").format(name=Truncator(name).chars(40), problem=error.messages[0])
    return None


class KnownChoicesOnly:
    """An autocomplete that re-shows a refused form without looking up values that are not keys.

    Django's autocomplete widgets query the submitted values as they are, so "abc" posted for a
    meeting would fail the query instead of being reported on the field.
    """

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        return super().optgroups(name, [item for item in value if is_key(field, item)], attr)


def is_key(field, value):
    """Whether a submitted value can be a key of the field's records, before any query sees it."""
    opts = field.queryset.model._meta
    key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    try:
        key.run_validators(key.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class KeyCheckedChoice(forms.ModelChoiceField):
    """A choice of record whose submitted value is checked to be a key (not "abc", not beyond 2**63)."""

    def to_python(self, value):
        if value not in self.empty_values and not is_key(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyCheckedMultipleChoice(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not is_key(self, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class OneLineTextarea(forms.Textarea):
    """A long one-line text (a title, a heading) shown whole, wrapped over lines rather than cut off at the box's
    edge; a line break typed or pasted into it is a space."""

    def __init__(self, attrs=None):
        super().__init__({**(attrs or {}), "rows": 2, "class": "vLargeTextField vOneLineField"})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.splitlines()) if isinstance(value, str) else value


# A text this long or longer is a line a one-line box would cut off.
ONE_LINE_WRAPPED = 200


class SafeAutocompleteSelect(KnownChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(KnownChoicesOnly, AutocompleteSelectMultiple):
    pass


DEPENDENTS_SHOWN = 50


def dependents(objs):
    """The content records that deleting these would take with them or unlink from them.

    Generic over every content model (anything with a version): records deleted in cascade,
    and records whose many-to-many links (themes, sources, agencies) point at these.
    """
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    using = router.db_for_write(model)
    collector = NestedObjects(using=using)
    collector.collect(objs)
    deleting = {(type(obj), obj.pk) for obj in objs}
    found = []
    for related_model, instances in collector.data.items():
        if is_content(related_model):
            found += [obj for obj in instances if (type(obj), obj.pk) not in deleting]
    for relation in model._meta.get_fields(include_hidden=True):
        if relation.many_to_many and relation.auto_created and is_content(relation.related_model):
            linked = relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": objs}).distinct()
            found += [obj for obj in linked if (type(obj), obj.pk) not in deleting]
    return list(dict.fromkeys(found))


def is_content(model):
    return any(f.name == "version" for f in model._meta.concrete_fields) and not model.__name__.startswith("Historical")


def describe_dependents(found):
    lines = [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in found[:DEPENDENTS_SHOWN]]
    if len(found) > DEPENDENTS_SHOWN:
        lines.append(f"… and {len(found) - DEPENDENTS_SHOWN} more")
    return lines


def name_links(model):
    """Gives the rows Django makes for a record's many-to-many links (its themes, its sources) a name, so that a
    deletion lists "Recommendation-theme relationship: Recommendation 7 – Labour mobility" rather than
    "Recommendation_themes object (129)"."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created and "__str__" not in vars(through):
            ends = (field.m2m_field_name(), field.m2m_reverse_field_name())
            through.__str__ = lambda row, ends=ends: " – ".join(str(getattr(row, end)) for end in ends)


class ContentAdmin(SimpleHistoryAdmin):
    """A content record: history with revert, stale saves refused, unchanged saves not counted."""

    form = VersionedForm
    save_on_top = True
    # Says, to those who may not delete, why there is no Delete button and how a deletion is asked for.
    change_form_template = "admin/content_change_form.html"
    history_list_display = ["version"]
    # An address typed without a scheme is read as https, as Django 6 will read it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        name_links(model)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not getattr(form, "reverting", False):
            return  # an unchanged record keeps its version, and so stays load_gfmd's to update
        if getattr(form, "reverting", False):
            obj._change_reason = revert_reason(form)
        form.history_after = history.last_row_id(self.model)
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form, "reverting", False):
            return revert_reason(form)
        return super().construct_change_message(request, form, formsets, add)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            reason = record.history_change_reason or ""
            words = [word for word in ("Restored", "Reverted") if reason.startswith(word)]
            record.action = words[0] if words else record.get_history_type_display()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A rule the forms cannot see (two rows at one position, a link taken a moment ago by another
        # editor) is the database's to enforce: the editor is told, and no part of the save is kept.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            reason = str(error).splitlines()[0]
            self.message_user(
                request,
                gettext(
                    "Nothing was saved: the database refused the change ({reason}). "
                    "Check the positions, numbers and links that must be unique, then save again."
                ).format(reason=reason),
                level=messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        # Read before the inlines delete their rows, which then lose their keys.
        gone = search.documents_of(row.instance for formset in formsets for row in formset.deleted_forms)
        super().save_related(request, form, formsets, change)
        if not (form.has_changed() or any(formset.has_changed() for formset in formsets)):
            return
        if hasattr(form, "history_after"):  # the record was saved, not only its inline rows
            history.squash(form.instance, form.history_after)
        if "tags" in form.changed_data:
            history.record_tags(form.instance)
        rows = [obj for formset in formsets for obj in [*formset.new_objects, *(o for o, _ in formset.changed_objects)]]
        content_changed([form.instance, *rows], documents=gone)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if type(formfield) is forms.ModelChoiceField:
            formfield.__class__ = KeyCheckedChoice
        elif type(formfield) is forms.ModelMultipleChoiceField:
            formfield.__class__ = KeyCheckedMultipleChoice
        widget = getattr(formfield, "widget", None)
        long_line = not db_field.choices and (db_field.max_length or 0) >= ONE_LINE_WRAPPED
        if type(widget) is AdminTextInputWidget and long_line:
            formfield.widget = widget = OneLineTextarea(widget.attrs)
        inner = getattr(widget, "widget", widget)
        if type(inner) is AutocompleteSelect:
            inner.__class__ = SafeAutocompleteSelect
        elif type(inner) is AutocompleteSelectMultiple:
            inner.__class__ = SafeAutocompleteSelectMultiple
        return formfield

    def get_deleted_objects(self, objs, request):
        # Nothing is lost by a deletion: a record that others depend on is refused, listing them;
        # a record on its own can be restored from its history.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        found = dependents(objs)
        if found:
            protected = [*protected, *describe_dependents(found)]
        return deleted, model_count, perms_needed, protected

    def response_delete(self, request, obj_display, obj_id):
        response = super().response_delete(request, obj_display, obj_id)
        opts = self.opts
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj_id])
        self.message_user(
            request,
            format_html(
                'It can be restored from <a href="{}">its history</a>: open its last version and revert.', history_url
            ),
        )
        return response

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            gone = search.documents_of([obj])
            # Restored from its history, it gets back the tags it has now, however they were set.
            history.record_tags(obj)
            super().delete_model(request, obj)
            content_changed(documents=gone)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            gone = search.documents_of(queryset)
            for obj in queryset:
                history.record_tags(obj)
            super().delete_queryset(request, queryset)
            content_changed(documents=gone)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The version check locks the row, which needs a transaction, as the change view has.
        with transaction.atomic(using=router.db_for_write(self.model)):
            after = history.last_row_id(self.model)
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                # Reverted, or restored after its deletion, with the tags and links of that version.
                record = self.model._default_manager.get(pk=object_id)
                history.squash(record, after)
                history.record_tags(record)
                content_changed([record])
            return response


class TranslatedContentAdmin(TranslationAdmin, ContentAdmin):
    """A content record whose vocabulary is translated (lib/vocabulary.py): each translated field in each
    language, one after the other ("Name [fr]"), the English required, with the history, revert and
    stale-save refusal of any record. modeltranslation's tabbed admin would load jQuery UI from another
    site, which the admin's Content-Security-Policy refuses: the fields are listed, with no script."""


def revert_reason(form):
    """What the history says of a revert: a deleted record brought back is restored."""
    version = form.instance._history.version
    if getattr(form, "restoring", False):
        return f"Restored after its deletion, as it was at version {version}"
    return f"Reverted to version {version}"


class ContentInlineFormSet(forms.BaseInlineFormSet):
    """Gives each row its parent as an object, so that rows neither query it nor lose its unsaved values."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                found = dependents([form.instance])
                if found:
                    raise ValidationError(
                        [
                            f"{capfirst(form.instance._meta.verbose_name)} {form.instance} cannot be deleted: "
                            "these depend on it; delete or move them first."
                        ]
                        + describe_dependents(found)
                    )

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        if hasattr(self, "prepare_row"):
            self.prepare_row(form.instance, self.instance)
        if getattr(self, "names_fields", False):
            # A row of a table has its labels in the column heads, which a screen reader does not read for its fields.
            for field in form.fields.values():
                inner = getattr(field.widget, "widget", field.widget)
                inner.attrs.setdefault("aria-label", capfirst(field.label or ""))
        if form.instance._state.adding and hasattr(form.instance, "source_id") and not form.instance.source_id:
            # A new row cites its parent's source until an editor says otherwise on the row's own page.
            form.instance.source_id = self.instance.source_id
        return form


class ContentInline:
    form = VersionedForm
    formset = ContentInlineFormSet
    extra = 0
    show_change_link = True
    # No record has nearly as many rows; a form claiming more is refused before thousands of rows are built,
    # checked and drawn again with their errors (Django's own bound is a thousand more than max_num).
    max_num = 100

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.max_num)
        formset = super().get_formset(request, obj, **kwargs)
        if hasattr(self, "prepare_row"):
            formset.prepare_row = staticmethod(self.prepare_row)
        return formset


class ContentTabularInline(ContentInline, admin.TabularInline):
    template = "admin/edit_inline/content_tabular.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.names_fields = True
        return formset


class ContentStackedInline(ContentInline, admin.StackedInline):
    pass


def taggings_of(tags):
    """(content type id, record id) of each record these tags are on."""
    return list(TaggedItem.objects.filter(tag__in=tags).values_list("content_type_id", "object_id"))


def merge_tags(tags, name):
    """Puts every record of these tags under the tag called `name` (made if none is), through the write path.

    The merged tags, left on no record, are deleted. Returns the tag they were merged into, and whether it is new.
    """
    taggings = taggings_of(tags)
    into = Tag.objects.filter(name__iexact=name).first()
    created = into is None
    if created:
        into = Tag.objects.create(name=name)  # taggit makes its slug, unique
    merged = [tag for tag in tags if tag.pk != into.pk]
    already = set(TaggedItem.objects.filter(tag=into).values_list("content_type_id", "object_id"))
    for item in TaggedItem.objects.filter(tag__in=merged).order_by("pk"):
        key = (item.content_type_id, item.object_id)
        if key in already:
            item.delete()
        else:
            already.add(key)
            item.tag = into
            item.save(update_fields=["tag"])
    Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()
    tags_edited(taggings)
    return into, created


def tags_edited(taggings):
    """Renaming, merging or deleting a tag changes every record it was on: each counts as an edit, made public.

    Tags are not in the records' history, but the version tells load_gfmd that an editor changed the record, so that
    a reload keeps the new tag instead of tagging the records with the old name again. Read the taggings before a
    merge or a deletion moves them.
    """
    by_type = defaultdict(list)
    for content_type_id, object_id in taggings:
        by_type[content_type_id].append(object_id)
    records = []
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, Versioned):
            model._default_manager.filter(pk__in=ids).update(version=F("version") + 1)
            records += model._default_manager.filter(pk__in=ids)
    for record in records:
        history.record_tags(record)
    content_changed(records)
