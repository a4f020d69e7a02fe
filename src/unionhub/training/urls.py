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
]
