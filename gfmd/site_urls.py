from django.urls import path

from gfmd import views

app_name = "gfmd"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
