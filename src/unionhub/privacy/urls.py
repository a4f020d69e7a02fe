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
    path("members/<int:member_pk>/sign-in-link/", views.sign_in_link, name="sign_in_link"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/approve/", views.correction_approve, name="correction_approve"),
    path("corrections/<int:pk>/reject/", views.correction_reject, name="correction_reject"),
    path("access-log/", views.access_log, name="access_log"),
    path("breaches/", views.breaches, name="breaches"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach"),
    path(
        "breaches/<int:pk>/notify-authority/",
        views.breach_notify_authority,
        name="breach_notify_authority",
    ),
    path(
        "breaches/<int:pk>/notify-people/",
        views.breach_notify_people,
        name="breach_notify_people",
    ),
    path("breaches/<int:pk>/close/", views.breach_close, name="breach_close"),
    path("processing-record/", views.processing_record, name="processing_record"),
    path(
        "processing-record.pdf",
        views.processing_record,
        {"file_format": "pdf"},
        name="processing_record_pdf",
    ),
]
