from django.urls import path

from unionhub.display import views

app_name = "display"
urlpatterns = [
    path("", views.screen_list, name="list"),
    path("<int:pk>/", views.screen_detail, name="screen"),
    path("<int:pk>/rename/", views.screen_rename, name="rename"),
    path("<int:pk>/link/", views.screen_link_rotate, name="rotate"),
    path("<int:pk>/delete/", views.screen_delete, name="delete"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/preview/data.json", views.preview_data, name="preview_data"),
    path("<int:pk>/slides/add/<str:kind>/", views.slide_add, name="slide_add"),
    path("slides/<int:pk>/", views.slide_edit, name="slide"),
    path("slides/<int:pk>/move/<str:direction>/", views.slide_move, name="slide_move"),
    path("slides/<int:pk>/delete/", views.slide_delete, name="slide_delete"),
    path("slides/<int:pk>/image", views.slide_image, name="slide_image"),
]
