from django.urls import path

from unionhub.congress import views

app_name = "congress"
urlpatterns = [
    path("", views.congress_list, name="list"),
    path("<int:pk>/", views.congress_detail, name="detail"),
    path("<int:pk>/settings/", views.congress_settings, name="settings"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("<int:pk>/delegates/", views.delegate_list, name="delegates"),
    path("<int:pk>/delegates/add/", views.delegate_add, name="delegate_add"),
    path("<int:pk>/delegates/import/", views.delegate_import, name="delegate_import"),
    path("<int:pk>/badges/", views.badges, name="badges"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("documents/<int:pk>/replace/", views.document_replace, name="document_replace"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("delegates/<int:pk>/", views.delegate_detail, name="delegate"),
    path("delegates/<int:pk>/badge/", views.delegate_badge, name="delegate_badge"),
    path("delegates/<int:pk>/photo/", views.delegate_photo, name="delegate_photo"),
    path(
        "delegates/<int:pk>/card/<str:action>/",
        views.delegate_card,
        name="delegate_card",
    ),
    path("sessions/<int:pk>/station/", views.station_page, name="station"),
    path("sessions/<int:pk>/scan/", views.scan, name="scan"),
    path("sessions/<int:pk>/manual/", views.manual, name="manual"),
    path("sessions/<int:pk>/search/", views.search, name="search"),
    path("sessions/<int:pk>/roster/", views.roster, name="roster"),
    path("sessions/<int:pk>/upload/", views.upload, name="upload"),
    path("checkins/<int:pk>/undo/", views.checkin_undo, name="checkin_undo"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/stream/", views.session_stream, name="session_stream"),
    path("sessions/<int:pk>/attendance/live/", views.attendance_live, name="attendance_live"),
    path(
        "sessions/<int:pk>/attendance.<str:kind>",
        views.attendance_export,
        name="attendance_export",
    ),
]
