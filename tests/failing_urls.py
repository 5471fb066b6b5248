"""The site's addresses plus one that fails, to see what a server error leaves in the log."""

from django.urls import include, path


def fail(request):
    raise RuntimeError("a failure only tests cause")


urlpatterns = [path("fail/", fail), path("", include("gfmd.urls"))]

handler500 = "gfmd.views.server_error"
