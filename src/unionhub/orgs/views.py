from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhub.audit.selectors import history_for
from unionhub.core import scope
from unionhub.core.context_processors import SESSION_UNIT
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.forms import add_domain_error
from unionhub.core.registry import collect
from unionhub.orgs import selectors, services
from unionhub.orgs.forms import (
    OfficerInviteForm,
    UnitDissolveForm,
    UnitEditForm,
    UnitFoundForm,
    UnitLogoForm,
    UnitMoveForm,
)


@login_required
def tree(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "roots": selectors.unit_roots(user=request.user)}
    if query:
        context["results"] = selectors.unit_search(user=request.user, query=query)
    template = (
        "orgs/_search_results.html" if request.headers.get("HX-Request") else "orgs/tree.html"
    )
    return render(request, template, context)


PICKER_OPTIONS = 20


@login_required
@require_GET
def unit_options(request):
    """The units a picker (core.widgets.UnitPicker) offers for what was typed so far."""
    field = request.GET.get("field", "")
    query = request.GET.get(field, "") if field else ""
    if request.GET.get("anywhere"):
        units = selectors.units_taking_members(query=query, limit=PICKER_OPTIONS)
    else:
        role = request.GET.get("role")
        units = selectors.unit_search(
            user=request.user,
            query=query,
            limit=PICKER_OPTIONS,
            role=role if role in scope.ROLES else None,
        )
    return render(
        request, "core/widgets/_unit_options.html", {"units": units, "query": query, "field": field}
    )


@login_required
def children(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    return render(
        request,
        "orgs/_children_grouped.html",
        {"groups": selectors.unit_children_grouped(user=request.user, unit=unit)},
    )


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    panels = [p for make in collect("unit_panels") if (p := make(request, unit))]
    roles = scope.roles_at(request.user, unit)
    if any(g.unit_id == unit.pk for g in scope.grants(request.user)):
        # Opening one of the units the officer holds a role at makes it the header's current unit.
        request.session[SESSION_UNIT] = unit.pk
    return render(
        request,
        "orgs/unit.html",
        {
            "unit": unit,
            "ancestors": selectors.unit_ancestors(user=request.user, unit=unit),
            "figures": selectors.unit_figures(unit=unit),
            "children": selectors.unit_children_grouped(user=request.user, unit=unit),
            "placements": unit.placements.select_related("parent").order_by("-valid_from"),
            "history": history_for(unit, limit=50),
            "panels": sorted(panels, key=lambda p: p.order),
            "is_admin": scope.UNIT_ADMIN in roles,
            "can_admin_parent": unit.parent is not None
            and scope.can(request.user, scope.UNIT_ADMIN, unit.parent),
            "officers": selectors.officers_list(user=request.user, unit=unit)
            if scope.UNIT_ADMIN in roles
            else [],
        },
    )


def _form_page(request, form, title, unit, action, *, extra=None):
    """Show `form`, or run `action(cleaned_data)` when valid; domain errors go on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:unit", pk=result.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": title, "unit": unit, **(extra or {})}
    )


@login_required
def unit_found(request, pk):
    parent = selectors.unit_get(user=request.user, pk=pk)
    form = UnitFoundForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("New unit under %(unit)s") % {"unit": parent.name},
        parent,
        lambda data: services.unit_found(parent=parent, by=request.user, **data),
    )


@login_required
def unit_edit(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    initial = {
        "name": unit.name,
        "short_name": unit.short_name,
        "sector": unit.sector,
        "address": unit.address,
    }
    form = UnitEditForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        _("Edit %(unit)s") % {"unit": unit.name},
        unit,
        lambda data: services.unit_update(unit=unit, by=request.user, **data),
    )


@login_required
def unit_logo_edit(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = UnitLogoForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        _("Logo of %(unit)s") % {"unit": unit.name},
        unit,
        lambda data: services.unit_logo_set(
            unit=unit, upload=None if data["remove"] else data["logo"], by=request.user
        ),
        extra={"logo_url": selectors.logo_url(unit)},
    )


@login_required
def unit_move(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = UnitMoveForm(request.POST or None)

    def move(data):
        new_parent = selectors.unit_get(user=request.user, code=data["new_parent"].strip().upper())
        return services.unit_move(
            unit=unit, new_parent=new_parent, effective=data["effective"], by=request.user
        )

    return _form_page(request, form, _("Move %(unit)s") % {"unit": unit.name}, unit, move)


@login_required
def unit_dissolve(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = UnitDissolveForm(request.POST or None)

    def dissolve(data):
        into = data["merged_into"] and selectors.unit_get(
            user=request.user, code=data["merged_into"].strip().upper()
        )
        return services.unit_dissolve(
            unit=unit, effective=data["effective"], merged_into=into or None, by=request.user
        )

    return _form_page(request, form, _("Dissolve %(unit)s") % {"unit": unit.name}, unit, dissolve)


@login_required
def officers(request):
    return render(
        request, "orgs/officers.html", {"assignments": selectors.officers_list(user=request.user)}
    )


@login_required
def officer_invite(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = OfficerInviteForm(request.POST or None)

    def invite(data):
        services.officer_invite(
            by=request.user, unit=unit, base_url=request.build_absolute_uri("/")[:-1], **data
        )
        messages.info(
            request, _("An e-mail with a link to set the password was sent to %s.") % data["email"]
        )
        return unit

    return _form_page(
        request, form, _("Invite an officer to %(unit)s") % {"unit": unit.name}, unit, invite
    )


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = selectors.officers_list(user=request.user).filter(pk=pk).first()
    if assignment is None:
        raise OutOfScope()
    unit = assignment.unit
    services.role_revoke(assignment=assignment, by=request.user)
    messages.success(request, _("Role removed."))
    return redirect("orgs:unit", pk=unit.pk)


@login_required
@require_POST
def role_move(request, pk):
    assignment = selectors.officers_list(user=request.user).filter(pk=pk).first()
    if assignment is None:
        raise OutOfScope()
    try:
        moved = services.role_move_to_successor(assignment=assignment, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Role moved to %(unit)s.") % {"unit": moved.unit.name})
    return redirect("orgs:officers")


@require_GET
def unit_logo(request, pk):
    """The logo a unit shows (its own or the nearest above it), public like the unit's name;
    the file names are random per upload, so a `?v=` of the name lets browsers keep it."""
    owner = selectors.public_logo(pk=pk)
    if owner is None:
        raise Http404
    response = FileResponse(default_storage.open(owner.logo.name), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
