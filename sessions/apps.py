from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is taken by django.contrib.sessions.
    label = "gfmd_sessions"
    verbose_name = "Meetings and sessions"

    def ready(self):
        from sessions import search_documents

        search_documents.register()
