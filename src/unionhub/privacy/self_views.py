"""The member's own page (/me/), on their phone: sign in with a one-time code or a printed link,
then see what the union holds about them, who read their sensitive data, ask for corrections,
download it all and withdraw consents. No officer account is involved: the session holds the
member's id for half an hour (settings.PRIVACY_SELF_SESSION_SECONDS)."""

from __future__ import annotations

import hashlib
import io
import time

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from unionhub.core import ratelimit
from unionhub.core.clientip import client_address
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.privacy import pdf, selectors, services
from unionhub.privacy.forms import CodeForm, ContactForm, CorrectionForm
from unionhub.privacy.models import DATE_FIELDS, Consent

# Asking for codes: per device and per phone or e-mail, so neither a script nor a prankster
# floods a member's phone; trying codes is capped per code (five tries) and per device.
SEND_RATE = (5, 3600)
CONTACT_RATE = (3, 3600)
TRY_RATE = (20, 3600)
PENDING_KEY = "privacy.pending"


def _sign_in(request, member) -> None:
    request.session.cycle_key()  # a fresh session id: a planted one gains nothing
    request.session[selectors.SELF_SESSION_KEY] = member.pk
    request.session[selectors.SELF_SESSION_SINCE] = time.time()
    request.session.pop(PENDING_KEY, None)


def _signed_in(request):
    member = selectors.self_member(request.session)
    if member is not None:
        request.session[selectors.SELF_SESSION_SINCE] = time.time()  # each click keeps it open
    return member


@never_cache
def start(request):
    """The sign-in form, or the member's page once signed in."""
    member = _signed_in(request)
    if member is not None:
        return _own_page(request, member)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"].strip().lower()
        # The cache key names the contact by a digest: no phone number sits in the cache.
        contact_key = hashlib.sha256(contact.encode()).hexdigest()[:32]
        limit, window = SEND_RATE
        per_contact, _window = CONTACT_RATE
        if not ratelimit.allow(
            f"privacy-send:{client_address(request)}", limit=limit, window=window
        ) or not ratelimit.allow(
            f"privacy-send-to:{contact_key}", limit=per_contact, window=window
        ):
            form.add_error(None, _("Too many codes asked for; try again in an hour."))
        else:
            sign_in = services.sign_in_code_send(contact=contact)
            # The same answer whether or not the contact is registered (see the service).
            request.session[PENDING_KEY] = sign_in.pk if sign_in else 0
            return redirect("privacy_public:code")
    return render(request, "privacy/self_start.html", {"form": form})


@never_cache
def code(request):
    if PENDING_KEY not in request.session:
        return redirect("privacy_public:start")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit, window = TRY_RATE
        if not ratelimit.allow(
            f"privacy-try:{client_address(request)}", limit=limit, window=window
        ):
            form.add_error(None, _("Too many attempts from this device; try again in an hour."))
        else:
            try:
                member = services.sign_in_code_check(
                    sign_in_id=request.session.get(PENDING_KEY), code=form.cleaned_data["code"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                _sign_in(request, member)
                return redirect("privacy_public:start")
    return render(request, "privacy/self_code.html", {"form": form})


@never_cache
def link(request, token):
    """The printed link signs in on the first visit; the address then no longer works."""
    try:
        member = services.sign_in_link_use(token=token)
    except DomainError as error:
        return render(request, "privacy/self_refused.html", {"message": error.message}, status=403)
    _sign_in(request, member)
    return redirect("privacy_public:start")


@require_POST
def sign_out(request):
    request.session.flush()
    return redirect("privacy_public:start")


def _own_page(request, member, correction_form=None):
    profile, tables = selectors.self_tables(member)
    return render(
        request,
        "privacy/self_page.html",
        {
            "member": member,
            "profile": profile,
            "tables": tables,
            "consents": Consent.objects.filter(member=member),
            "corrections": selectors.own_corrections(member),
            "accesses": selectors.member_accesses(member),
            "correction_form": correction_form
            or CorrectionForm(choices=selectors.correctable_choices()),
        },
    )


@require_POST
@never_cache
def correction(request):
    member = _signed_in(request)
    if member is None:
        return redirect("privacy_public:start")
    form = CorrectionForm(request.POST, choices=selectors.correctable_choices())
    if form.is_valid():
        try:
            requested = form.cleaned_data["requested"]
            if form.cleaned_data["field"] in DATE_FIELDS:
                requested = selectors.parse_date(requested).isoformat()
            services.correction_request(
                member=member, **{**form.cleaned_data, "requested": requested}
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your request was sent to your union's registrar."))
            return redirect("privacy_public:start")
    return _own_page(request, member, correction_form=form)


@require_POST
def consent_withdraw(request, pk):
    member = _signed_in(request)
    if member is None:
        return redirect("privacy_public:start")
    try:
        services.consent_withdraw_by_member(member=member, consent_id=pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your consent is withdrawn from today."))
    return redirect("privacy_public:start")


@require_GET
@never_cache
def export(request, file_format):
    if file_format not in ("json", "pdf"):
        raise Http404
    member = _signed_in(request)
    if member is None:
        return redirect("privacy_public:start")
    data = services.subject_export_by_member(member=member, file_format=file_format)
    if file_format == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="my-union-data.json"'
        return response
    out = io.BytesIO()
    pdf.subject_report(member, data, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="my-union-data.pdf")
