from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from unionhub.core.login import LoginView
from unionhub.core.views import PasswordResetView

_form = "registration/simple_form.html"
_message = "registration/message.html"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=_form, extra_context={"title": _("Change password")}
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=_message,
            extra_context={"title": _("Password changed"), "text": _("Your password was changed.")},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        PasswordResetView.as_view(
            template_name=_form, extra_context={"title": _("Reset password")}
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=_message,
            extra_context={
                "title": _("Check your e-mail"),
                "text": _("If the address is known, a link to set a new password is on its way."),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=_form, extra_context={"title": _("Set a new password")}
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=_message,
            extra_context={"title": _("Password set"), "text": _("You can log in now.")},
        ),
        name="password_reset_complete",
    ),
]
