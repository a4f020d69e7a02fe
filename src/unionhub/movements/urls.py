from django.urls import path

from unionhub.movements import views

app_name = "movements"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/jurors/", views.juror_add, name="juror_add"),
    path("<int:pk>/take-part/", views.take_part, name="take_part"),
    path("<int:pk>/score/", views.score_sheet, name="score"),
    path("entries/files/<int:pk>/", views.entry_file, name="entry_file"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/ceremony/", views.ceremony, name="ceremony"),
    path("awards/", views.award_list, name="awards"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/revoke/", views.award_revoke, name="award_revoke"),
    path("awards/<int:pk>/certificate.pdf", views.award_pdf, name="award_pdf"),
    path("statistics/", views.statistics, name="statistics"),
    path("support/", views.support_list, name="support_list"),
    path("support/new/", views.support_propose, name="support_propose"),
    path("support/<int:pk>/", views.support_detail, name="support"),
    path("shelters/", views.shelter_list, name="shelter_list"),
    path("shelters/new/", views.shelter_propose, name="shelter_propose"),
    path("shelters/<int:pk>/", views.shelter_detail, name="shelter"),
    path("classifications/", views.classification_list, name="classifications"),
    path("classifications/new/", views.classification_create, name="classification_create"),
    path("classifications/<int:pk>/", views.classification_detail, name="classification"),
    path(
        "classifications/<int:pk>/score/<int:unit>/",
        views.assessment_score,
        name="assessment_score",
    ),
]
