from django.urls import path

from unionhub.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("congress/<int:pk>/", views.congress_elections, name="congress"),
    path("<int:pk>/", views.election_detail, name="election"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/do/<str:action>/", views.round_action, name="round_action"),
    path("rounds/<int:pk>/find/", views.ballot_find, name="ballot_find"),
    path("rounds/<int:pk>/ballots.pdf", views.ballots_pdf, name="ballots_pdf"),
    path("rounds/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("rounds/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("ballots/<int:pk>/", views.ballot_entry, name="ballot"),
    path("motions/<int:pk>/", views.motion_detail, name="motion"),
]
