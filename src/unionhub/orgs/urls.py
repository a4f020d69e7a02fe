from django.urls import path

from unionhub.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("pick/", views.unit_options, name="unit_options"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.unit_found, name="found"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/logo/", views.unit_logo_edit, name="logo"),
    path("<int:pk>/move/", views.unit_move, name="move"),
    path("<int:pk>/dissolve/", views.unit_dissolve, name="dissolve"),
    path("<int:pk>/invite/", views.officer_invite, name="invite"),
    path("officers/", views.officers, name="officers"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("roles/<int:pk>/move/", views.role_move, name="role_move"),
]
