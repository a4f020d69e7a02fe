"""Public short links at the site root: the QR code's /v/<token> and the published key."""

from django.urls import path

from unionhub.cards import views

app_name = "cards_public"
urlpatterns = [
    path("v/key/", views.public_key_page, name="key"),
    path(".well-known/unionhub-card-key", views.public_key_pem, name="key_pem"),
    path("v/<str:token>", views.verify, name="verify"),
    path("v/<str:token>/photo", views.verify_photo, name="photo"),
]
