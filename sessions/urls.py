from django.urls import path

from sessions import views

app_name = "sessions"

urlpatterns = [
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:meeting>/sessions/<slug:slug>/", views.session_detail, name="session"),
]
