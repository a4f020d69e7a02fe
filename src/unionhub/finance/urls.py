from django.urls import path

from unionhub.core import converters  # noqa: F401  (registers <year:…> and <month:…>)
from unionhub.finance import views

app_name = "finance"
month = "u/<int:unit>/<year:year>/<month:month>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(month, views.roll, name="roll"),
    path(month + "compute/", views.roll_compute, name="compute"),
    path(month + "paid/", views.roll_paid, name="paid"),
    path(month + "post/", views.roll_post, name="post"),
    path(month + "payroll/", views.payroll, name="payroll"),
    path(month + "remit/", views.remit, name="remit"),
    path("u/<int:unit>/arrears/", views.arrears, name="arrears"),
    path("u/<int:unit>/cash/<year:year>/", views.cash_book, name="cash_book"),
    path("u/<int:unit>/cash/<year:year>/record/", views.cash_record, name="cash_record"),
    path("u/<int:unit>/remittances/<year:year>/", views.remittances, name="remittances"),
    path("u/<int:unit>/fees/<year:year>/", views.fees, name="fees"),
    path("u/<int:unit>/accounts/<year:year>/", views.accounts, name="accounts"),
    path("fees/<int:pk>/pay/", views.fee_pay, name="fee_pay"),
    path("fees/<int:pk>/post/", views.fee_post, name="fee_post"),
]
