from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"

    def ready(self):
        from themes import search_documents

        search_documents.register()
