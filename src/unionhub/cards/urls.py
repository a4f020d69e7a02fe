from django.urls import path

from unionhub.cards import views

app_name = "cards"
urlpatterns = [
    path("", views.card_list, name="list"),
    path("bulk/", views.bulk, name="bulk"),
    path("batch/", views.batch_request, name="batch"),
    path("series/", views.series, name="series"),
    path("<int:pk>/", views.card_detail, name="detail"),
    path("<int:pk>/approve/", views.card_approve, name="approve"),
    path("<int:pk>/printed/", views.card_printed, name="printed"),
    path("<int:pk>/delivered/", views.card_delivered, name="delivered"),
    path("<int:pk>/revoke/", views.card_revoke, name="revoke"),
    path("<int:pk>/reissue/", views.card_reissue, name="reissue"),
    path("<int:pk>/pdf/", views.card_pdf, name="pdf"),
    path("request/<int:member_pk>/", views.member_request, name="request"),
]
