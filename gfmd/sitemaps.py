from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gfmd.models import SourceDocument
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions.models import Event, Meeting, Session
from themes.models import Theme


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "gfmd:home",
            "themes:list",
            "sessions:session_list",
            "recommendations:recommendation_list",
            "recommendations:activity_list",
            "recommendations:expertise",
            "sessions:meeting_list",
            "recommendations:gmg_member_list",
            "gfmd:source_list",
            "gfmd:data",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset


SITEMAPS = {
    "pages": PagesSitemap(),
    "meetings": RecordSitemap(Meeting.objects.all()),
    "sessions": RecordSitemap(Session.objects.select_related("meeting")),
    "events": RecordSitemap(Event.objects.all()),
    "themes": RecordSitemap(Theme.objects.all()),
    "recommendations": RecordSitemap(Recommendation.objects.order_by("pk")),
    "activities": RecordSitemap(ProposedActivity.objects.order_by("pk")),
    "sources": RecordSitemap(SourceDocument.objects.all()),
    "gmg-members": RecordSitemap(GMGMember.objects.with_activities()),
}
