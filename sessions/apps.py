from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is taken by django.contrib.sessions.
    label = "gfmd_sessions"
    verbose_name = _("Meetings and sessions")

    def ready(self):
        from sessions import search_documents

        search_documents.register()
