from django.urls import path

from sessions import views

app_name = "sessions"

# Pages: at their English address, and under /fr/ and /es/ (gfmd/urls.py).
pages = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:meeting>/sessions/<slug:slug>/", views.session_detail, name="session"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("sessions/", views.session_list, name="session_list"),
]
# What stays in English, at its one address: the API.
english_only = [
    path("api/meetings/", views.meeting_list_api, name="meeting_list_api"),
    path("api/sessions/", views.session_list_api, name="session_list_api"),
]
