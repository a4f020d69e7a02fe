from django.urls import path

from unionhub.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.fluctuation, name="fluctuation"),
    path("group/", views.group_rows, name="group"),
    path("export/", views.export, name="export"),
    path("numbers/", views.drill, name="drill"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/submit/<int:unit_pk>/", views.round_submit, name="round_submit"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
]
