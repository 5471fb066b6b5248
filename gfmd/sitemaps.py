from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.urls import reverse

from gfmd.models import SourceDocument
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions.models import Event, Meeting, Session
from themes.models import Theme

# Addresses on one page of a section (the protocol allows 50,000): each page is built once per revision
# (lib/exports.py), and a page this size takes a fraction of a second to build at a hundred times the content.
LIMIT = 5000


class AtSiteUrl:
    """Addresses at SITE_URL, whatever host and scheme the request for the sitemap named, each page in the
    interface's three languages, each address with its alternates in the others and English as x-default."""

    i18n = True
    alternates = True
    x_default = True

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class RecordsSitemap(AtSiteUrl, GenericSitemap):
    limit = LIMIT


class PagesSitemap(AtSiteUrl, Sitemap):
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


def records(queryset):
    """A section of the sitemap: records, each at its get_absolute_url(), LIMIT to a page."""
    return RecordsSitemap({"queryset": queryset})


SITEMAPS = {
    "pages": PagesSitemap(),
    "meetings": records(Meeting.objects.all()),
    "sessions": records(Session.objects.select_related("meeting")),
    "events": records(Event.objects.all()),
    "themes": records(Theme.objects.all()),
    "recommendations": records(Recommendation.objects.order_by("pk")),
    "activities": records(ProposedActivity.objects.order_by("pk")),
    "sources": records(SourceDocument.objects.all()),
    "gmg-members": records(GMGMember.objects.with_activities()),
}
