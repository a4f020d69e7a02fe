"""The login page, with a ceiling on failed logins per client address.

django-axes locks one account from one address after a few wrong passwords; a password spray
(one common password tried against many accounts) never trips that. Counting every failure
from an address, whatever the account, stops it; the ceiling is high enough that an office
behind one router is not held up by its own typing mistakes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unionhub.core import ratelimit
from unionhub.core.clientip import client_address

WINDOW_SECONDS = 3600


def _key(request: HttpRequest) -> str:
    return f"login-failures:{client_address(request)}"


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if ratelimit.used(_key(request), window=WINDOW_SECONDS) >= limit:
            return render(request, "registration/locked_out.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if self.request.method == "POST":
            ratelimit.allow(_key(self.request), limit=0, window=WINDOW_SECONDS)
        return super().form_invalid(form)
