from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("gmg/<str:acronym>/", views.gmg_member_detail, name="gmg_member"),
]
