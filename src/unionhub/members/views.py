from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unionhub.audit.selectors import history_for
from unionhub.core import jobs, scope
from unionhub.core.errors import Conflict, DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.registry import collect
from unionhub.core.xlsx import xlsx_response
from unionhub.members import exports, selectors, services
from unionhub.members.forms import (
    AdmitForm,
    EditForm,
    EventForm,
    FilterForm,
    PhotoForm,
    TransferDecisionForm,
    TransferInForm,
    TransferRequestForm,
)
from unionhub.members.models import (
    SENSITIVE_FIELDS,
    Entry,
    EventKind,
    Member,
    MemberState,
    TransferStatus,
)
from unionhub.orgs.models import Level
from unionhub.orgs.selectors import unit_get

PAGE_SIZE = 50
# Up to this many rows the export is written while the officer waits; above, a background job
# with a progress bar does it (a province-wide list is 70,000 rows).
EXPORT_INLINE_MAX = 3000

# The event forms: URL slug → (service, event kind, title, needs a reason).
EVENT_ACTIONS = {
    "suspend": (services.member_suspend, EventKind.SUSPENDED, gettext_lazy("Suspend"), False),
    "resume": (services.member_resume, EventKind.RESUMED, gettext_lazy("Resume"), False),
    "leave": (services.member_leave, EventKind.LEFT, gettext_lazy("Record leaving"), True),
    "retire": (services.member_retire, EventKind.RETIRED, gettext_lazy("Record retirement"), False),
    "decease": (services.member_decease, EventKind.DECEASED, gettext_lazy("Record death"), False),
    "reinstate": (
        services.member_reinstate,
        EventKind.REINSTATED,
        gettext_lazy("Reinstate"),
        False,
    ),
}
# Which event forms the member page offers in each state.
EVENTS_BY_STATE: dict[str, list[str]] = {
    MemberState.ACTIVE: ["suspend", "leave", "retire", "decease"],
    MemberState.SUSPENDED: ["resume", "leave", "retire", "decease"],
    MemberState.LEFT: ["reinstate"],
    MemberState.RETIRED: ["reinstate", "decease"],
    MemberState.DECEASED: [],
}


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return encoded + "&" if encoded else ""


# Lists, search, export --------------------------------------------------------------------


@login_required
def member_list(request, unit_pk=None):
    unit = unit_get(user=request.user, pk=unit_pk) if unit_pk else None
    form = FilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(
        selectors.member_list(user=request.user, unit=unit, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "form": form,
        "page_obj": page,
        "members": page.object_list,
        "querystring_without_page": _querystring_without_page(request),
        "export_url": (
            reverse("members:unit_export", args=[unit.pk]) if unit else reverse("members:export")
        )
        + "?"
        + request.GET.urlencode(),
        "can_admit": unit is not None
        and unit.level > Level.PROVINCE
        and unit.dissolved is None
        and scope.can(request.user, scope.REGISTRAR, unit),
    }
    if request.headers.get("HX-Request"):
        return render(request, "members/_results.html", context)
    return render(request, "members/list.html", context)


@login_required
def member_export(request, unit_pk=None):
    unit = unit_get(user=request.user, pk=unit_pk) if unit_pk else None
    filters = FilterForm(request.GET or None).filters()
    members = selectors.member_list(user=request.user, unit=unit, filters=filters)
    count = members.count()
    if count <= EXPORT_INLINE_MAX:
        personal = selectors.can_export_personal(request.user, unit)
        services.member_list_exported(
            by=request.user,
            unit=unit,
            query=request.GET.urlencode(),
            rows=count,
            personal=personal,
        )
        return xlsx_response(
            exports.filename(unit),
            headers=exports.headers(personal=personal),
            rows=exports.rows(members, personal=personal),
            title=str(_("Members")),
        )
    job = jobs.job_start(
        kind=exports.JOB_KIND,
        title=_("Member list of %(unit)s") % {"unit": unit.name if unit else _("my units")},
        owner=request.user,
        params={"unit": unit.pk if unit else None, "query": request.GET.urlencode()},
    )
    return redirect("core:job", pk=job.pk)


# One member ----------------------------------------------------------------------------------


def _timeline(member: Member) -> list[dict]:
    """The audit trail as the member page shows it; sensitive values are never printed."""
    entries = []
    for event in history_for(member, limit=200):
        data = event.data or {}
        changed = [
            {
                "field": field,
                "label": _field_label(field),
                "old": None if field in SENSITIVE_FIELDS else old,
                "new": None if field in SENSITIVE_FIELDS else new,
            }
            for field, (old, new) in (data.get("changes") or {}).items()
        ]
        entries.append(
            {
                "at": event.at,
                "actor": event.actor,
                "actor_name": event.actor_name,
                "action": event.action,
                "label": event.label,
                "changes": changed,
                "data": data,
            }
        )
    return entries


def _field_label(name: str) -> str:
    try:
        return str(getattr(Member._meta.get_field(name), "verbose_name", name))
    except Exception:  # a name from an older version of the model: show it as it is
        return name


def _detail_context(request, member: Member, **extra) -> dict:
    can_edit = selectors.can_edit(request.user, member)
    return {
        "member": member,
        "can_edit": can_edit,
        "can_see_sensitive": selectors.can_see_sensitive(request.user, member),
        "events": selectors.member_events(user=request.user, member=member),
        "transfers": selectors.member_transfers(user=request.user, member=member)[:20],
        "timeline": _timeline(member),
        "warnings": services.profile_warnings(member) if can_edit else [],
        "missing": [_field_label(name) for name in member.missing_fields()],
        "event_actions": [
            (slug, EVENT_ACTIONS[slug][2]) for slug in EVENTS_BY_STATE.get(member.state, [])
        ]
        if can_edit
        else [],
        "photo_form": PhotoForm(),
        # Upper apps (cards) draw their part of the member page: AppConfig.member_panels.
        "panels": sorted(
            (panel for make in collect("member_panels") if (panel := make(request, member))),
            key=lambda panel: panel.order,
        ),
        **extra,
    }


@login_required
def member_detail(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    return render(request, "members/detail.html", _detail_context(request, member))


@login_required
@require_POST
def member_sensitive(request, pk):
    """Reveal ethnicity and religion: the view itself is written to the audit trail."""
    member = selectors.member_get(user=request.user, pk=pk)
    sensitive = services.member_sensitive_view(by=request.user, member=member)
    if request.headers.get("HX-Request"):
        return render(request, "members/_sensitive.html", {"sensitive": sensitive})
    return render(
        request, "members/detail.html", _detail_context(request, member, sensitive=sensitive)
    )


@login_required
def member_photo(request, pk, thumb=False):
    """The photo, only through the scoping layer: photos are never public files."""
    member = selectors.member_get(user=request.user, pk=pk)
    image = member.photo_thumb if thumb else member.photo
    if not image:
        raise Http404
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def member_photo_upload(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.member_photo_set(
                member=member, by=request.user, upload=form.cleaned_data["photo"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Photo saved."))
    else:
        messages.error(request, _("Choose a photo to upload."))
    return redirect("members:detail", pk=member.pk)


# Admission and editing -----------------------------------------------------------------------


@login_required
def member_admit(request, unit_pk):
    unit = unit_get(user=request.user, pk=unit_pk)
    scope.require(request.user, scope.REGISTRAR, unit)
    form = AdmitForm(request.POST or None, request.FILES or None)
    transfer_url = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.document_lookup(
                by=request.user, id_kind=data["id_kind"], id_number=data["id_number"], via="admit"
            )
            entry = data.pop("entry")
            member = services.member_enter(
                entry=entry,
                unit=unit,
                by=request.user,
                joined=data.pop("joined"),
                books_open=data.pop("books_open"),
                decision=data.pop("decision"),
                photo=data.pop("photo") or None,
                **data,
            )
        except DomainError as error:
            add_domain_error(form, error)
            if error.code == "active_elsewhere":
                transfer_url = (
                    reverse("members:transfer_in", args=[unit.pk])
                    + "?"
                    + urlencode({"id_kind": data["id_kind"], "id_number": data["id_number"]})
                )
        else:
            done = (
                _("%(name)s was recorded as an existing member.")
                if entry == Entry.RECORD
                else _("%(name)s was admitted.")
            )
            messages.success(request, done % {"name": member.full_name})
            for warning in services.profile_warnings(member):
                messages.warning(request, warning)
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("Admit a member to %(unit)s") % {"unit": unit.name},
            "multipart": True,
            "transfer_url": transfer_url,
            "cancel_url": reverse("members:unit_list", args=[unit.pk]),
        },
    )


def _profile_values(member: Member, form_class=EditForm) -> dict:
    values = {name: getattr(member, name) for name in form_class.base_fields if name != "version"}
    values["version"] = member.version
    return values


@login_required
def member_edit(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    scope.require(request.user, scope.REGISTRAR, member.unit)
    if request.method == "GET":
        # The form shows ethnicity and religion: showing it is a view of them. A re-display
        # after a POST shows what the officer already saw or typed, and is not logged again.
        services.member_sensitive_view(by=request.user, member=member, in_form=True)
    conflict = None
    form = EditForm(request.POST or None, initial=_profile_values(member))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            member = services.member_update(
                member=member, by=request.user, version=form.cleaned_data["version"], **changed
            )
        except Conflict as error:
            conflict = [
                {**change, "label": _field_label(change["field"])}
                for change in error.params.get("changes", [])
            ]
            member.refresh_from_db()
            form = _form_after_conflict(member, form, changed)
            form.add_error(None, str(error.message))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            for warning in services.profile_warnings(member):
                messages.warning(request, warning)
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "title": _("Edit %(name)s") % {"name": member.full_name},
            "conflict": conflict,
            "cancel_url": reverse("members:detail", args=[member.pk]),
        },
    )


def _form_after_conflict(member: Member, stale_form: EditForm, changed: dict) -> EditForm:
    """A form on the current record with the officer's own changes on top: saving it again
    applies only what they changed, and their colleague's edits stay."""
    current = _profile_values(member)
    data = QueryDict(mutable=True)
    for name, field in stale_form.fields.items():
        value = changed.get(name, current.get(name))
        initial = current.get(name)
        data[name] = _as_input(value)
        if field.show_hidden_initial:
            data[stale_form.add_initial_prefix(name)] = _as_input(initial)
    form = EditForm(data, initial=current)
    form.is_valid()
    return form


def _as_input(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Membership events ---------------------------------------------------------------------------


@login_required
def member_event(request, pk, action):
    if action not in EVENT_ACTIONS:
        raise Http404
    service, kind, title, with_reason = EVENT_ACTIONS[action]
    member = selectors.member_get(user=request.user, pk=pk)
    scope.require(request.user, scope.REGISTRAR, member.unit)
    form = EventForm(request.POST or None, with_reason=with_reason)
    if request.method == "POST" and form.is_valid():
        try:
            service(member=member, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Recorded: %(event)s.") % {"event": kind.label})
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "title": f"{title}: {member.full_name}",
            "cancel_url": reverse("members:detail", args=[member.pk]),
        },
    )


# Transfers -----------------------------------------------------------------------------------


def _ask_transfer(request, form, *, member: Member, to_unit, asked) -> None:
    """Request the transfer with the form's date and note; `asked` is the unit that answers.
    Either side may ask (DESIGN §2): the sending side from the member's page, the receiving
    side by the member's document."""
    services.transfer_request(
        member=member,
        to_unit=to_unit,
        effective=form.cleaned_data["effective"],
        note=form.cleaned_data["note"],
        by=request.user,
    )
    messages.success(
        request,
        _("Transfer requested; %(unit)s will accept or reject it.") % {"unit": asked.name},
    )


def _transfer_form_page(request, form, *, title, cancel_url, **context):
    return render(
        request,
        "members/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **context},
    )


@login_required
def transfer_request(request, pk):
    """The sending side asks another unit to take the member."""
    member = selectors.member_get(user=request.user, pk=pk)
    scope.require(request.user, scope.REGISTRAR, member.unit)
    form = TransferRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = selectors.transfer_target(code=form.cleaned_data["to_unit"])
        if target is None:
            form.add_error("to_unit", _("No active unit that holds members has this code."))
        else:
            try:
                _ask_transfer(request, form, member=member, to_unit=target, asked=target)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("members:detail", pk=member.pk)
    return _transfer_form_page(
        request,
        form,
        title=_("Transfer %(name)s to another unit") % {"name": member.full_name},
        cancel_url=reverse("members:detail", args=[member.pk]),
        member=member,
    )


@login_required
def transfer_in(request, unit_pk):
    """The receiving side asks for a member of another unit, identified by their document."""
    unit = unit_get(user=request.user, pk=unit_pk)
    scope.require(request.user, scope.REGISTRAR, unit)
    form = TransferInForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A request names a member of another union to that union: the look-up is
            # recorded and counted like any other.
            services.document_lookup(
                by=request.user,
                id_kind=data["id_kind"],
                id_number=data["id_number"],
                via="transfer_in",
            )
            member = selectors.member_by_document(
                user=request.user, id_kind=data["id_kind"], id_number=data["id_number"].strip()
            )
            if member is None:
                raise DomainError(
                    "no_holder",
                    _("No current member holds this document; admit the person instead."),
                    field="id_number",
                )
            _ask_transfer(request, form, member=member, to_unit=unit, asked=member.unit)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("members:transfers")
    return _transfer_form_page(
        request,
        form,
        title=_("Request a member from another unit into %(unit)s") % {"unit": unit.name},
        cancel_url=reverse("members:unit_list", args=[unit.pk]),
        unit=unit,
    )


@login_required
def transfers(request):
    return render(
        request,
        "members/transfers.html",
        {
            "incoming": selectors.transfers_incoming(user=request.user),
            "outgoing": selectors.transfers_outgoing(user=request.user),
        },
    )


def _answering_side(user, transfer) -> tuple[bool, bool]:
    """(may accept or reject, may cancel) for `user`."""
    asked = transfer.from_unit if transfer.requested_by_receiver else transfer.to_unit
    asking = transfer.to_unit if transfer.requested_by_receiver else transfer.from_unit
    return scope.can(user, scope.REGISTRAR, asked), scope.can(user, scope.REGISTRAR, asking)


@login_required
def transfer_detail(request, pk):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    may_answer, may_cancel = _answering_side(request.user, transfer)
    return render(
        request,
        "members/transfer.html",
        {
            "transfer": transfer,
            "may_answer": may_answer and transfer.status == TransferStatus.PENDING,
            "may_cancel": may_cancel and transfer.status == TransferStatus.PENDING,
            "can_see_member": scope.can(request.user, None, transfer.member.unit),
            "form": TransferDecisionForm(),
        },
    )


@login_required
@require_POST
def transfer_decide(request, pk, decision):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    form = TransferDecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if decision == "accept":
            services.transfer_accept(
                transfer=transfer, by=request.user, decision=data.get("decision", "")
            )
            messages.success(request, _("Transfer accepted."))
        elif decision == "reject":
            services.transfer_reject(transfer=transfer, by=request.user, note=data.get("note", ""))
            messages.success(request, _("Transfer rejected."))
        elif decision == "cancel":
            services.transfer_cancel(transfer=transfer, by=request.user)
            messages.success(request, _("Transfer request withdrawn."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("members:transfer", pk=transfer.pk)
