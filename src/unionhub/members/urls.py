from django.urls import path

from unionhub.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.member_export, name="export"),
    path("unit/<int:unit_pk>/", views.member_list, name="unit_list"),
    path("unit/<int:unit_pk>/export/", views.member_export, name="unit_export"),
    path("unit/<int:unit_pk>/admit/", views.member_admit, name="admit"),
    path("unit/<int:unit_pk>/transfer-in/", views.transfer_in, name="transfer_in"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/sensitive/", views.member_sensitive, name="sensitive"),
    path("<int:pk>/photo/", views.member_photo, name="photo"),
    path("<int:pk>/photo/thumb/", views.member_photo, {"thumb": True}, name="photo_thumb"),
    path("<int:pk>/photo/upload/", views.member_photo_upload, name="photo_upload"),
    path("<int:pk>/events/<slug:action>/", views.member_event, name="event"),
    path("<int:pk>/transfer/", views.transfer_request, name="transfer_request"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer"),
    path("transfers/<int:pk>/<slug:decision>/", views.transfer_decide, name="transfer_decide"),
]
