from django.urls import path

from sessions import views

app_name = "sessions"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:meeting>/sessions/<slug:slug>/", views.session_detail, name="session"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("sessions/", views.session_list, name="session_list"),
    path("api/meetings/", views.meeting_list_api, name="meeting_list_api"),
    path("api/sessions/", views.session_list_api, name="session_list_api"),
]
