from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.editing import (
    SOURCE_FIELDS,
    ContentAdmin,
    ContentStackedInline,
    ContentTabularInline,
    TranslatedContentAdmin,
    VersionedForm,
)
from recommendations.admin import LinkFromSessionInline
from recommendations.models import Recommendation
from sessions.models import Event, Meeting, Milestone, Passage, Roundtable, Session


class MeetingForm(VersionedForm):
    def clean(self):
        cleaned = super().clean()
        # The rules are the constraints', but an editor needs them on the field to correct.
        candidate = Meeting(**{f: cleaned.get(f) for f in ("year", "start_date", "end_date")})
        candidate.civil_society_start_date = cleaned.get("civil_society_start_date")
        candidate.civil_society_end_date = cleaned.get("civil_society_end_date")
        for field, message in candidate.date_errors().items():
            self.add_error(field, ValidationError(message))
        return cleaned


class RoundtableInline(ContentTabularInline):
    model = Roundtable
    fields = ["number", "track", "stage", "kind", "title", "group_heading", "seen_version"]


class MilestoneInline(ContentTabularInline):
    model = Milestone
    fields = ["position", "when", "text", "seen_version"]


@admin.register(Meeting)
class MeetingAdmin(TranslatedContentAdmin):
    form = MeetingForm
    list_display = ["__str__", "ordinal", "year", "city", "country", "start_date", "end_date", "chair"]
    list_filter = ["country"]
    search_fields = ["city", "country", "chair", "overarching_theme", "summary"]
    ordering = ["year"]
    autocomplete_fields = ["source", "other_sources"]
    fieldsets = [
        (None, {"fields": ["ordinal", "year", "slug", "city", "country", "chair", "overarching_theme", "summary"]}),
        (
            _("Dates"),
            {"fields": ["start_date", "end_date", "civil_society_start_date", "civil_society_end_date"]},
        ),
        (
            _("What our sources cover"),
            {
                "fields": [
                    "government_roundtables_held",
                    "sessions_coverage",
                    "sessions_held",
                    "recommendations_coverage",
                    "coverage_note",
                ]
            },
        ),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
        (_("Where the translations come from"), {"fields": ["translation_source"]}),
    ]
    inlines = [RoundtableInline, MilestoneInline]


class SessionInline(ContentStackedInline):
    model = Session
    fields = ["number", "slug", "title", "discussion", "co_chairs", "seen_version"]

    @staticmethod
    def prepare_row(session, roundtable):
        session.meeting = roundtable.meeting


@admin.register(Roundtable)
class RoundtableAdmin(ContentAdmin):
    list_display = ["__str__", "meeting", "track", "stage", "kind", "number", "group_heading"]
    list_filter = ["meeting", "track", "stage", "kind", "themes"]
    list_select_related = ["meeting"]
    search_fields = ["title", "summary", "group_heading"]
    ordering = ["meeting__year", "track", "stage", "kind", "number"]
    autocomplete_fields = ["meeting", "source", "other_sources", "themes"]
    fieldsets = [
        (None, {"fields": ["meeting", "track", "stage", "kind", "number", "title", "group_heading", "summary"]}),
        (_("Browsing"), {"fields": ["themes", "tags"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]
    inlines = [SessionInline]


class RecommendationInline(ContentStackedInline):
    model = Recommendation
    fk_name = "session"
    fields = ["kind", "number", "position", "group_heading", "text", "seen_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent=None)

    @staticmethod
    def prepare_row(recommendation, session):
        recommendation.roundtable = session.roundtable
        recommendation.meeting = session.roundtable.meeting
        recommendation.track = session.roundtable.track


@admin.register(Session)
class SessionAdmin(ContentAdmin):
    list_display = ["number", "title", "meeting", "roundtable", "co_chairs"]
    list_display_links = ["number", "title"]
    list_filter = ["meeting", "roundtable__track", "roundtable__stage", "themes"]
    list_select_related = ["meeting", "roundtable__meeting"]
    search_fields = ["number", "title", "discussion", "co_chairs"]
    ordering = ["meeting__year", "roundtable__track", "roundtable__stage", "roundtable__number", "number"]
    autocomplete_fields = ["roundtable", "source", "other_sources", "themes"]
    fieldsets = [
        (None, {"fields": ["roundtable", "number", "slug", "title", "discussion", "co_chairs"]}),
        (_("Browsing"), {"fields": ["themes", "tags"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]
    inlines = [RecommendationInline, LinkFromSessionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "roundtable__meeting")


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["meeting", "position", "when", "text"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["when", "text"]
    ordering = ["meeting__year", "position"]
    autocomplete_fields = ["meeting", "source", "other_sources"]


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["title", "meeting", "when", "place", "organiser"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["title", "place", "organiser", "summary"]
    ordering = ["meeting__year", "title"]
    autocomplete_fields = ["meeting", "source", "other_sources"]
    fieldsets = [
        (None, {"fields": ["meeting", "slug", "title", "when", "place", "organiser", "summary"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]


@admin.register(Passage)
class PassageAdmin(ContentAdmin):
    list_display = ["__str__", "meeting", "source", "position"]
    list_filter = ["meeting", "source"]
    list_select_related = ["meeting", "source"]
    search_fields = ["heading", "text", "source_location"]
    ordering = ["meeting__year", "position"]
    autocomplete_fields = ["meeting", "source", "other_sources"]
    fieldsets = [
        (None, {"fields": ["meeting", "heading", "position", "text"]}),
        (_("Source"), {"fields": [*SOURCE_FIELDS, "seen_version"]}),
    ]
