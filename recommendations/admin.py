from django.contrib import admin

from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section, SubActivity


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "track", "kind", "roundtable", "number", "group_heading"]
    list_filter = ["meeting", "track", "kind", "themes"]
    list_select_related = ["meeting", "roundtable__meeting"]
    search_fields = ["text", "number", "group_heading"]
    autocomplete_fields = ["meeting", "roundtable", "session", "parent", "source", "other_sources", "themes"]


@admin.register(GMGMember)
class GMGMemberAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name"]
    search_fields = ["acronym", "name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "roundtable", "letter", "title"]
    list_filter = ["roundtable__number"]
    list_select_related = ["roundtable__meeting"]
    search_fields = ["title"]
    autocomplete_fields = ["roundtable", "source", "other_sources"]


class SubActivityInline(admin.TabularInline):
    model = SubActivity
    extra = 0


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(ProposedActivity)
class ProposedActivityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section"]
    list_filter = ["section__roundtable__number", "section__letter", "gmg_members", "themes"]
    list_select_related = ["section__roundtable__meeting"]
    search_fields = ["text", "objectives__text", "sub_activities__text"]
    autocomplete_fields = ["section", "gmg_members", "themes", "source", "other_sources"]
    inlines = [SubActivityInline, ObjectiveInline]
