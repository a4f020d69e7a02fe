"""Public short link at the site root: the award certificate's QR code."""

from django.urls import path

from unionhub.movements import views

app_name = "movements_public"
urlpatterns = [
    path("v/a/<str:token>", views.verify, name="verify"),
]
