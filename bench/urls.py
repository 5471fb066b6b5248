"""The site's addresses, plus a bare Django view: the ceiling a cached page is measured against."""

from django.http import HttpResponse
from django.urls import path

from gfmd.urls import handler400, handler404, handler500  # noqa: F401
from gfmd.urls import urlpatterns as site


def bare(request):
    """What Django itself costs on this server: the same middleware, no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site]
