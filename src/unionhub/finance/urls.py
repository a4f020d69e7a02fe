from django.urls import path

from unionhub.finance import views

app_name = "finance"
month = "u/<int:unit>/<int:year>/<int:month>/"
urlpatterns = [
    path("", views.index, name="index"),
    path(month, views.roll, name="roll"),
    path(month + "compute/", views.roll_compute, name="compute"),
    path(month + "paid/", views.roll_paid, name="paid"),
    path(month + "post/", views.roll_post, name="post"),
    path(month + "payroll/", views.payroll, name="payroll"),
    path(month + "remit/", views.remit, name="remit"),
    path("u/<int:unit>/arrears/", views.arrears, name="arrears"),
    path("u/<int:unit>/cash/<int:year>/", views.cash_book, name="cash_book"),
    path("u/<int:unit>/cash/<int:year>/record/", views.cash_record, name="cash_record"),
    path("u/<int:unit>/remittances/<int:year>/", views.remittances, name="remittances"),
    path("u/<int:unit>/fees/<int:year>/", views.fees, name="fees"),
    path("u/<int:unit>/accounts/<int:year>/", views.accounts, name="accounts"),
    path("fees/<int:pk>/pay/", views.fee_pay, name="fee_pay"),
    path("fees/<int:pk>/post/", views.fee_post, name="fee_post"),
]
