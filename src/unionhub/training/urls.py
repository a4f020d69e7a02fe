from django.urls import path

from unionhub.training import views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("<int:pk>/", views.course_detail, name="course"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("report/", views.report, name="report"),
    path("enrolments/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/pass/reissue/", views.pass_reissue, name="pass_reissue"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/quiz/", views.quiz_set, name="quiz_set"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("materials/<int:pk>/remove/", views.material_remove, name="material_remove"),
    path("materials/<int:pk>/file.pdf", views.material_file, name="material_file"),
    path("sessions/<int:pk>/passes/", views.passes, name="passes"),
    path("sessions/<int:pk>/signup/", views.signup_toggle, name="signup_toggle"),
    path("sessions/<int:pk>/reminders/", views.reminders, name="reminders"),
    path("sessions/<int:pk>/station/", views.station_page, name="station"),
    path("sessions/<int:pk>/station/scan/", views.station_scan, name="station_scan"),
    path("sessions/<int:pk>/station/manual/", views.station_manual, name="station_manual"),
    path("sessions/<int:pk>/station/roster/", views.station_roster, name="station_roster"),
    path("sessions/<int:pk>/station/upload/", views.station_upload, name="station_upload"),
    path("sessions/<int:pk>/station/search/", views.station_search, name="station_search"),
]
