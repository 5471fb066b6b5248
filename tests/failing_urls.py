"""The site's addresses plus one that fails, to see what a server error leaves in the log."""

from django.urls import path

from gfmd import urls


def fail(request):
    raise RuntimeError("a failure only tests cause")


# The site's patterns themselves, not included: the language prefixes must stay at the top level.
urlpatterns = [path("fail/", fail), *urls.urlpatterns]

handler500 = "gfmd.views.server_error"
