from django.contrib import admin

from gfmd.models import SourceDocument

admin.site.site_header = "GFMD Knowledge Base"
admin.site.site_title = "GFMD Knowledge Base admin"
admin.site.index_title = "Secretariat editing"


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "issuer", "date", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "issuer", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
