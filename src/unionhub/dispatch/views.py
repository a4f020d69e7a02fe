"""Inbox, outbox and documents of one unit at a time: the unit is always in the URL, and every
read goes through the selectors, which check the user's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.forms import add_domain_error
from unionhub.core.http import site_url
from unionhub.dispatch import exports, selectors, services
from unionhub.dispatch.forms import (
    AssignForm,
    AttachmentForm,
    DocumentForm,
    InboxFilterForm,
    OutboxFilterForm,
    TargetForm,
    UnitSearchForm,
)
from unionhub.dispatch.models import Document, TargetKind

PAGE_SIZE = 50


def _page(request, qs, size: int = PAGE_SIZE) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    encoded = query.urlencode()
    return {
        "page_obj": Paginator(qs, size).get_page(request.GET.get("page")),
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
    }


def _unit_context(request, unit) -> dict:
    return {
        "unit": unit,
        "can_act": scope.can(request.user, scope.CLERK, unit),
        "today": timezone.localdate(),
    }


@login_required
def index(request):
    """Pick the unit whose registers to open; straight to the inbox when there is one only."""
    units = selectors.own_units_with_unread(user=request.user)
    form = UnitSearchForm(request.GET or None)
    query = form.is_valid() and form.cleaned_data["q"]
    if len(units) == 1 and not query:
        return redirect("dispatch:inbox", unit=units[0].pk)
    found = selectors.unit_search(user=request.user, query=query) if query else []
    return render(request, "dispatch/index.html", {"units": units, "form": form, "found": found})


@login_required
def inbox(request, unit):
    unit = selectors.register_unit(user=request.user, pk=unit)
    form = InboxFilterForm(request.GET or None)
    qs = selectors.inbox(user=request.user, unit=unit, filters=form.filters())
    if request.GET.get("export") == "xlsx":
        return exports.export(box="inbox", user=request.user, unit=unit, query=request.GET)
    context = {**_unit_context(request, unit), **_page(request, qs), "form": form, "tab": "inbox"}
    return render(request, "dispatch/inbox.html", context)


@login_required
def outbox(request, unit):
    unit = selectors.register_unit(user=request.user, pk=unit)
    form = OutboxFilterForm(request.GET or None)
    qs = selectors.outbox(user=request.user, unit=unit, filters=form.filters())
    if request.GET.get("export") == "xlsx":
        return exports.export(box="outbox", user=request.user, unit=unit, query=request.GET)
    context = {**_unit_context(request, unit), **_page(request, qs), "form": form, "tab": "outbox"}
    return render(request, "dispatch/outbox.html", context)


@login_required
def document_new(request, unit):
    unit = selectors.register_unit(user=request.user, pk=unit)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.document_draft(unit=unit, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("dispatch:document", unit=unit.pk, pk=draft.pk)
    context = {**_unit_context(request, unit), "form": form, "tab": "new"}
    return render(request, "dispatch/form.html", {**context, "title": _("New document")})


@login_required
def document_edit(request, unit, pk):
    unit = selectors.register_unit(user=request.user, pk=unit)
    view = selectors.document_for_unit(user=request.user, unit=unit, pk=pk)
    document = view.document
    initial = {f: getattr(document, f) for f in services.EDITABLE_FIELDS}
    form = DocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("dispatch:document", unit=unit.pk, pk=document.pk)
    context = {**_unit_context(request, unit), "form": form, "document": document}
    return render(request, "dispatch/form.html", {**context, "title": _("Edit the draft")})


@login_required
def document_detail(request, unit, pk):
    unit = selectors.register_unit(user=request.user, pk=unit)
    view = selectors.document_for_unit(user=request.user, unit=unit, pk=pk)
    document = view.document
    context = {
        **_unit_context(request, unit),
        "view": view,
        "document": document,
        "recipient": view.recipient,
        "attachments": document.attachments.all(),
        "superseded": document.is_issued and selectors.is_superseded(document=document),
        **selectors.related_documents(view=view),
    }
    if view.recipient is not None:
        services.recipient_open(recipient=view.recipient, by=request.user)
        context["readers"] = selectors.readers(recipient=view.recipient)
        context["assign_form"] = AssignForm(
            unit=unit,
            initial={
                "assignee": view.recipient.assignee_id,
                "deadline": view.recipient.deadline,
            },
        )
        context["can_finish"] = context["can_act"] or (
            view.recipient.assignee_id == request.user.pk
        )
    elif document.is_issued:
        state = request.GET.get("state", "")
        context["state"] = state
        context["figures"] = selectors.tracking_figures(document=document)
        context.update(
            _page(request, selectors.tracking(user=request.user, document=document, state=state))
        )
    else:
        context["targets"] = document.targets.select_related("unit")
        context["target_kinds"] = TargetKind.choices
        context["attachment_form"] = AttachmentForm()
        context["reach"] = len(
            selectors.recipients_resolve(document=document, on=timezone.localdate())
        )
    return render(request, "dispatch/document.html", context)


@login_required
def candidates(request, unit, pk):
    """htmx: units the draft may go to, matching the search box."""
    unit = selectors.register_unit(user=request.user, pk=unit)
    view = selectors.document_for_unit(user=request.user, unit=unit, pk=pk)
    found = selectors.recipient_candidates(document=view.document, query=request.GET.get("q", ""))
    return render(
        request,
        "dispatch/_candidates.html",
        {"unit": unit, "document": view.document, "found": found, "kinds": TargetKind},
    )


def _act(request, unit, pk, action, success: str | None = None, *, sent_only: bool = False):
    """Run `action(view)` for a POST on a document; domain errors become messages."""
    unit = selectors.register_unit(user=request.user, pk=unit)
    view = selectors.document_for_unit(user=request.user, unit=unit, pk=pk)
    if sent_only and not view.is_sender:
        raise OutOfScope()
    try:
        result = action(view)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("dispatch:document", unit=unit.pk, pk=pk)
    if success:
        messages.success(request, success)
    if isinstance(result, HttpResponseBase):
        return result
    if isinstance(result, Document):  # a new draft (correction, reply): open it
        return redirect("dispatch:document", unit=result.unit_id, pk=result.pk)
    return redirect("dispatch:document", unit=unit.pk, pk=pk)


@login_required
@require_POST
def target_add(request, unit, pk):
    form = TargetForm(request.POST)

    def add(view):
        if not form.is_valid():
            raise DomainError("invalid_target", _("Choose a unit and how to send to it."))
        target_unit = selectors.target_unit(document=view.document, pk=form.cleaned_data["unit"])
        services.target_add(
            document=view.document,
            unit=target_unit,
            kind=form.cleaned_data["kind"],
            by=request.user,
        )

    return _act(request, unit, pk, add, sent_only=True)


@login_required
@require_POST
def target_remove(request, unit, pk, target):
    def remove(view):
        services.target_remove(
            target=selectors.draft_target(document=view.document, pk=target), by=request.user
        )

    return _act(request, unit, pk, remove, sent_only=True)


@login_required
@require_POST
def attachment_add(request, unit, pk):
    form = AttachmentForm(request.POST, request.FILES)

    def add(view):
        if not form.is_valid():
            raise DomainError("attachment_missing", _("Choose a PDF file to attach."))
        services.attachment_add(
            document=view.document, upload=form.cleaned_data["file"], by=request.user
        )

    return _act(request, unit, pk, add, _("File attached."), sent_only=True)


@login_required
@require_POST
def attachment_remove(request, unit, pk, attachment):
    def remove(view):
        found = selectors.attachment_get(
            user=request.user, unit=view.unit, document_pk=view.document.pk, pk=attachment
        )
        services.attachment_remove(attachment=found, by=request.user)

    return _act(request, unit, pk, remove, _("File removed."), sent_only=True)


@login_required
def attachment_download(request, unit, pk, attachment):
    """The only way to a document's file: for the sender and the recipients of the document."""
    unit = selectors.register_unit(user=request.user, pk=unit)
    found = selectors.attachment_get(user=request.user, unit=unit, document_pk=pk, pk=attachment)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=found.name,
        content_type="application/pdf",
    )


@login_required
def document_issue(request, unit, pk):
    """GET: the preview to confirm (issuing cannot be undone); POST: issue and send."""
    if request.method != "POST":
        unit = selectors.register_unit(user=request.user, pk=unit)
        view = selectors.document_for_unit(user=request.user, unit=unit, pk=pk)
        if not view.is_sender or view.document.is_issued:
            return redirect("dispatch:document", unit=unit.pk, pk=pk)
        reach, recipients = selectors.recipients_preview(
            document=view.document, on=timezone.localdate()
        )
        context = {
            **_unit_context(request, unit),
            "document": view.document,
            "attachments": view.document.attachments.all(),
            "targets": view.document.targets.select_related("unit"),
            "reach": reach,
            "recipients": recipients,
        }
        return render(request, "dispatch/issue_confirm.html", context)

    def issue(view):
        document = services.document_issue(
            document=view.document, by=request.user, base_url=site_url(request)
        )
        messages.success(
            request,
            _("Issued as %(symbol)s to %(count)d units.")
            % {"symbol": document.symbol, "count": document.recipients.count()},
        )

    return _act(request, unit, pk, issue, sent_only=True)


@login_required
@require_POST
def document_discard(request, unit, pk):
    def discard(view):
        services.document_discard(document=view.document, by=request.user)
        return redirect("dispatch:outbox", unit=view.unit.pk)

    return _act(request, unit, pk, discard, _("Draft discarded."), sent_only=True)


@login_required
@require_POST
def document_correct(request, unit, pk):
    def correct(view):
        return services.document_correct(document=view.document, by=request.user)

    return _act(
        request,
        unit,
        pk,
        correct,
        _("A correction was started; once issued it replaces the document."),
        sent_only=True,
    )


@login_required
@require_POST
def document_reply(request, unit, pk):
    def reply(view):
        if view.recipient is None:
            raise OutOfScope()
        return services.document_reply(recipient=view.recipient, by=request.user)

    return _act(request, unit, pk, reply, _("A reply was started."))


@login_required
@require_POST
def document_remind(request, unit, pk):
    def remind(view):
        count = services.document_remind(
            document=view.document, by=request.user, base_url=site_url(request)
        )
        messages.success(request, _("%(count)d units were reminded.") % {"count": count})

    return _act(request, unit, pk, remind, sent_only=True)


@login_required
@require_POST
def recipient_assign(request, unit, pk):
    def assign(view):
        if view.recipient is None:
            raise OutOfScope()
        form = AssignForm(request.POST, unit=view.unit)
        if not form.is_valid():
            raise DomainError("invalid_assignment", _("Choose an officer of the unit."))
        services.recipient_assign(recipient=view.recipient, by=request.user, **form.cleaned_data)

    return _act(request, unit, pk, assign, _("Assigned."))


@login_required
@require_POST
def recipient_done(request, unit, pk):
    def done(view):
        if view.recipient is None:
            raise OutOfScope()
        services.recipient_done(recipient=view.recipient, by=request.user)

    return _act(request, unit, pk, done, _("Marked as done."))
