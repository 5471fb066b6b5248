from django.contrib import admin

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
