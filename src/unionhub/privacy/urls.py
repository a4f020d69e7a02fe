from django.urls import path

from unionhub.privacy import views

app_name = "privacy"
urlpatterns = [
    path("consents/", views.consent_list, name="consents"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("members/<int:member_pk>/consents/add/", views.consent_add, name="consent_add"),
    path("members/<int:member_pk>/anonymise/", views.anonymise, name="anonymise"),
    path(
        "members/<int:member_pk>/export.<str:file_format>",
        views.subject_export,
        name="subject_export",
    ),
    path("members/<int:member_pk>/consent-form/", views.consent_form_pdf, name="consent_form"),
]
