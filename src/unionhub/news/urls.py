from django.urls import path

from unionhub.news import views

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/submit", views.submit, name="submit"),
    path("<int:pk>/publish", views.publish, name="publish"),
    path("<int:pk>/return", views.return_story, name="return"),
    path("<int:pk>/feature/<int:unit>", views.feature, name="feature"),
    path("<int:pk>/photos", views.add_image, name="add_image"),
    path("<int:pk>/cover", views.cover, name="cover"),
    path("<int:pk>/video", views.video, name="video"),
    path("<int:pk>/video/poster", views.video_poster, name="video_poster"),
    path("<int:pk>/video/upload", views.video_upload, name="video_upload"),
    path("<int:pk>/video/remove", views.video_remove, name="video_remove"),
    path("photos/<int:pk>/remove", views.remove_image, name="remove_image"),
    path("portal/<int:unit>/", views.portal, name="portal"),
    path("statistics/", views.statistics, name="statistics"),
]
