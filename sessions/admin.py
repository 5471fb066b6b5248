from django.contrib import admin

from sessions.models import Meeting, Milestone, Roundtable, Session

SOURCE_FIELDS = ("Source", {"fields": ["source", "source_location", "other_sources", "editorial_note"]})


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ordinal", "start_date", "end_date", "chair"]
    search_fields = ["city", "country", "chair", "overarching_theme", "summary"]
    autocomplete_fields = ["source", "other_sources"]


@admin.register(Roundtable)
class RoundtableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "track", "stage", "number"]
    list_filter = ["meeting", "track", "stage", "kind", "themes"]
    list_select_related = ["meeting"]
    search_fields = ["title", "summary", "group_heading"]
    autocomplete_fields = ["meeting", "source", "other_sources", "themes"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "roundtable", "co_chairs"]
    list_filter = ["meeting", "roundtable__track", "roundtable__stage", "themes"]
    list_select_related = ["meeting", "roundtable__meeting"]
    search_fields = ["number", "title", "discussion", "co_chairs"]
    autocomplete_fields = ["roundtable", "source", "other_sources", "themes", "held_as"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["meeting", "position", "when", "text"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]
    search_fields = ["when", "text"]
    autocomplete_fields = ["meeting", "source", "other_sources"]
