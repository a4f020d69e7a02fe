"""Optional TOTP two-factor login for officers (django-otp), required for province-level admins
when TWO_FACTOR_PROVINCE_ADMINS is on.

An officer enrols at /accounts/two-factor/ by scanning a QR code with an authenticator app and
typing the code it shows; from then on every login asks for a code before any page opens. API
tokens are not covered: a token is a credential of its own, issued by an administrator.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.types import User
from unionhub.orgs.actions import Action
from unionhub.orgs.models import Level, RoleAssignment


def required_for(user: User) -> bool:
    """Must `user` log in with a second factor? Only by the setting, for province-level admins."""
    if not settings.TWO_FACTOR_PROVINCE_ADMINS:
        return False
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(
            user=user,
            role=scope.UNIT_ADMIN,
            unit__level__lte=Level.PROVINCE,
            unit__dissolved__isnull=True,
        ).exists()
    )


@transaction.atomic
def device_confirm(*, device: TOTPDevice, token: str, by: User) -> bool:
    """Confirm a new authenticator when `token` is the code it shows now; replaces any other."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log(by, Action.TWO_FACTOR_ENROLLED, by, {})
    return True


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def verify(request):
    """The second step of a login: a code from the officer's authenticator."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("The code is wrong or has expired."))
    return render(
        request,
        "orgs/two_factor.html",
        {"form": form, "title": _("Enter your login code"), "next": _next(request)},
    )


@login_required
def setup(request):
    """Enrol an authenticator: a QR code to scan, then the code it shows to confirm it."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        if device_confirm(device=device, token=code, by=request.user):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("The code is wrong or has expired."))
    # segno writes the SVG itself; nothing of it comes from the user.
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4))
    return render(
        request,
        "orgs/two_factor.html",
        {
            "form": form,
            "title": _("Log in with a second factor"),
            "qr": qr,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


class TwoFactorMiddleware:
    """After the password, nothing opens until the officer gives a code (when they enrolled one)
    or enrols (when the setting requires it of them)."""

    OPEN = ("two_factor_verify", "two_factor_setup", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open(request):
            if user_has_device(user, confirmed=True):
                return redirect(_with_next("two_factor_verify", request))
            if required_for(user):
                return redirect(_with_next("two_factor_setup", request))
        return self.get_response(request)

    def _open(self, request) -> bool:
        try:
            return resolve(request.path_info).url_name in self.OPEN
        except Resolver404:
            return False
