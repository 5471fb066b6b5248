from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and GMG activities"

    def ready(self):
        from recommendations import search_documents

        search_documents.register()
