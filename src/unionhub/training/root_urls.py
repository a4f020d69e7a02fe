"""Public short link at the site root: the training certificate's QR code."""

from django.urls import path

from unionhub.training import views

app_name = "training_public"
urlpatterns = [
    path("v/t/<str:token>", views.verify, name="verify"),
]
