from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from lib.editing import TranslatedContentAdmin
from themes.models import Theme


@admin.register(Theme)
class ThemeAdmin(TranslatedContentAdmin):
    list_display = ["name", "slug", "position", "session_count", "recommendation_count"]
    search_fields = ["name", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                session_count=Count("sessions", distinct=True),
                recommendation_count=Count("recommendations", distinct=True),
            )
        )

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, theme):
        return theme.session_count

    @admin.display(description=_("recommendations"), ordering="recommendation_count")
    def recommendation_count(self, theme):
        return theme.recommendation_count
