"""Public short links at the site root: the training certificate's QR code (/v/t/) and the
participant's pass (/t/), which opens the session and its materials on the phone."""

from django.urls import path, re_path

from unionhub.training import views

app_name = "training_public"
urlpatterns = [
    path("v/t/<str:token>", views.verify, name="verify"),
    re_path(r"^t/(?P<token>[A-Za-z0-9_-]{20,200})/?$", views.pass_page, name="pass"),
    re_path(r"^t/j/(?P<token>[A-Za-z0-9_-]{20,200})/?$", views.signup, name="signup"),
    re_path(
        r"^t/(?P<token>[A-Za-z0-9_-]{20,200})/m/(?P<pk>[0-9]+)/?$",
        views.pass_material,
        name="pass_material",
    ),
]
