from django.urls import path

from gfmd import views

app_name = "gfmd"

# Pages: at their English address, and under /fr/ and /es/ (gfmd/urls.py).
pages = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
# What stays in English, at its one address: the API, the data downloads, the sitemap, robots.txt, /healthz.
english_only = [
    path("api/", views.api_page, name="api"),
    path("api/openapi.json", views.openapi_json, name="openapi"),
    path("api/search/", views.search_api, name="search_api"),
    path("api/annotations/", views.annotations_api, name="annotations"),
    path("data/", views.data_page, name="data"),
    path("data/datapackage.json", views.datapackage_json, name="datapackage"),
    path("data/gfmd-knowledge-base.zip", views.data_zip, name="data_zip"),
    path("data/README.md", views.data_readme, name="data_readme"),
    path("data/CITATION.cff", views.data_citation, name="data_citation"),
    path("data/<slug:name>.csv", views.data_csv, name="data_csv"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
]
