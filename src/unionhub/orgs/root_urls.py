"""Public at the site root: a unit's logo, which its LED screens and public pages show."""

from django.urls import path

from unionhub.orgs import views

urlpatterns = [
    path("logo/<int:pk>.png", views.unit_logo, name="unit_logo"),
]
