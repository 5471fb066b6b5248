from django.contrib import admin
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lib.editing import (
    SOURCE_FIELDS,
    ContentAdmin,
    ContentStackedInline,
    ContentTabularInline,
    TranslatedContentAdmin,
)
from recommendations.models import (
    LINK_END_RELATIONS,
    GMGMember,
    Link,
    Objective,
    ProposedActivity,
    Recommendation,
    Section,
    SubActivity,
)


class LinkInline(ContentStackedInline):
    """The links by editors from the record on the page to others; those to it are edited on theirs."""

    model = Link
    fields = ["type", "to_session", "to_recommendation", "to_activity", "note", "quote", "seen_version"]
    autocomplete_fields = ["to_session", "to_recommendation", "to_activity"]
    verbose_name = _("link by editors to another record")
    verbose_name_plural = _("links by editors to other records")


class LinkFromSessionInline(LinkInline):
    fk_name = "from_session"


class LinkFromRecommendationInline(LinkInline):
    fk_name = "from_recommendation"


class LinkFromActivityInline(LinkInline):
    fk_name = "from_activity"


@admin.register(Link)
class LinkAdmin(ContentAdmin):
    list_display = ["__str__", "type"]
    list_filter = ["type"]
    search_fields = ["note", "quote"]
    autocomplete_fields = [f"{end}_{kind}" for end in ("from", "to") for kind in LINK_END_RELATIONS]
    fieldsets = [
        (None, {"fields": ["type", *autocomplete_fields]}),
        (_("What the editor checked"), {"fields": ["note", "quote", "seen_version"]}),
    ]
    list_select_related = [
        f"{end}_{kind}__{to}" for end in ("from", "to") for kind, tos in LINK_END_RELATIONS.items() for to in tos
    ]


class SubPointInline(ContentStackedInline):
    model = Recommendation
    fk_name = "parent"
    fields = ["number", "number_restored", "position", "group_heading", "text", "seen_version"]
    verbose_name = _("sub-point")
    verbose_name_plural = _("sub-points")

    @staticmethod
    def prepare_row(sub_point, parent):
        # A sub-point shares its parent's place in the meeting.
        sub_point.meeting = parent.meeting
        sub_point.roundtable = parent.roundtable
        sub_point.session = parent.session
        sub_point.track = parent.track
        sub_point.kind = parent.kind
        sub_point.stage = parent.stage
        sub_point.event = parent.event


@admin.register(Recommendation)
class RecommendationAdmin(ContentAdmin):
    list_display = [
        "short_text",
        "meeting",
        "track",
        "stage",
        "kind",
        "roundtable_label",
        "number",
        "position",
        "group_heading",
    ]
    list_filter = [
        "meeting",
        "track",
        "stage",
        "kind",
        "event",
        "number_restored",
        "themes",
        ("parent", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["meeting", "roundtable"]
    search_fields = ["text", "number", "group_heading"]
    ordering = ["meeting__year", "track", "roundtable__number", "kind", "parent_id", "position"]
    autocomplete_fields = [
        "meeting",
        "roundtable",
        "session",
        "parent",
        "event",
        "source",
        "other_sources",
        "themes",
    ]
    fieldsets = [
        (None, {"fields": ["meeting", "track", "stage", "event", "roundtable", "session", "kind", "parent"]}),
        (_("Text"), {"fields": ["number", "number_restored", "position", "group_heading", "text"]}),
        (_("Browsing"), {"fields": ["themes", "tags"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]
    inlines = [SubPointInline, LinkFromRecommendationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "roundtable__meeting", "session__meeting")

    @admin.display(description=_("text"), ordering="text")
    def short_text(self, recommendation):
        return recommendation.text[:90]

    @admin.display(description=pgettext_lazy("column of the admin list", "roundtable"), ordering="roundtable__number")
    def roundtable_label(self, recommendation):
        return recommendation.roundtable.label if recommendation.roundtable else gettext("whole meeting")


@admin.register(GMGMember)
class GMGMemberAdmin(TranslatedContentAdmin):
    list_display = ["acronym", "name", "url"]
    search_fields = ["acronym", "name"]
    ordering = ["acronym"]


class ActivityInline(ContentTabularInline):
    model = ProposedActivity
    fields = ["position", "text", "seen_version"]

    @staticmethod
    def prepare_row(activity, section):
        activity.section = section


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    list_display = ["__str__", "roundtable", "letter", "title"]
    list_filter = ["roundtable__meeting", "roundtable__number"]
    list_select_related = ["roundtable__meeting"]
    search_fields = ["title"]
    ordering = ["roundtable__meeting__year", "roundtable__number", "letter"]
    autocomplete_fields = ["roundtable", "source", "other_sources"]
    inlines = [ActivityInline]


class ActivityItemInline(ContentTabularInline):
    fields = ["position", "text", "seen_version"]
    show_change_link = False


class SubActivityInline(ActivityItemInline):
    model = SubActivity


class ObjectiveInline(ActivityItemInline):
    model = Objective


@admin.register(ProposedActivity)
class ProposedActivityAdmin(ContentAdmin):
    list_display = ["__str__", "section", "members"]
    list_filter = ["section__roundtable__number", "section__letter", "gmg_members", "themes"]
    list_select_related = ["section__roundtable__meeting"]
    search_fields = ["text", "objectives__text", "sub_activities__text"]
    ordering = ["section__roundtable__number", "section__letter", "position"]
    autocomplete_fields = ["section", "gmg_members", "themes", "source", "other_sources"]
    fieldsets = [
        (None, {"fields": ["section", "position", "text", "gmg_members"]}),
        (_("Browsing"), {"fields": ["themes", "tags"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]
    inlines = [SubActivityInline, ObjectiveInline, LinkFromActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("gmg_members")

    @admin.display(description=_("GMG members with expertise"))
    def members(self, activity):
        return ", ".join(member.acronym for member in activity.gmg_members.all())
