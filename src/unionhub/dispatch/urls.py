from django.urls import path

from unionhub.dispatch import views

app_name = "dispatch"
document = "u/<int:unit>/d/<int:pk>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("u/<int:unit>/", views.inbox, name="inbox"),
    path("u/<int:unit>/sent/", views.outbox, name="outbox"),
    path("u/<int:unit>/new/", views.document_new, name="new"),
    path(document, views.document_detail, name="document"),
    path(document + "edit/", views.document_edit, name="edit"),
    path(document + "candidates/", views.candidates, name="candidates"),
    path(document + "targets/", views.target_add, name="target_add"),
    path(document + "targets/<int:target>/remove/", views.target_remove, name="target_remove"),
    path(document + "files/", views.attachment_add, name="attachment_add"),
    path(document + "files/<int:attachment>/", views.attachment_download, name="attachment"),
    path(
        document + "files/<int:attachment>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(document + "issue/", views.document_issue, name="issue"),
    path(document + "discard/", views.document_discard, name="discard"),
    path(document + "correct/", views.document_correct, name="correct"),
    path(document + "reply/", views.document_reply, name="reply"),
    path(document + "remind/", views.document_remind, name="remind"),
    path(document + "assign/", views.recipient_assign, name="assign"),
    path(document + "done/", views.recipient_done, name="done"),
]
