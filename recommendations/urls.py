from django.urls import path

from recommendations import views

app_name = "recommendations"

# Pages: at their English address, and under /fr/ and /es/ (gfmd/urls.py).
pages = [
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/expertise/", views.expertise_matrix, name="expertise"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("gmg/", views.gmg_member_list, name="gmg_member_list"),
    path("gmg/<str:acronym>/", views.gmg_member_detail, name="gmg_member"),
]
# What stays in English, at its one address: the API.
english_only = [
    path("api/recommendations/", views.recommendation_list_api, name="recommendation_list_api"),
    path("api/activities/", views.activity_list_api, name="activity_list_api"),
]
