from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("gfmd.site_urls")),
    path("", include("sessions.urls")),
    path("", include("recommendations.urls")),
    path("themes/", include("themes.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "gfmd.views.bad_request"
handler404 = "gfmd.views.page_not_found"
handler500 = "gfmd.views.server_error"
