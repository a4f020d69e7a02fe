from django.urls import path

from unionhub.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("template.csv", views.template_csv, name="template_csv"),
    path("photos/", views.photos, name="photos"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/map/", views.batch_map, name="map"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/cancel/", views.batch_cancel, name="cancel"),
    path("history/", views.history, name="history"),
    path("<int:pk>/errors.xlsx", views.batch_errors, name="errors"),
]
