"""Officer pages: courses (list, create, detail), a session with its enrolments, nomination and
cancellation. Objects come from the selectors, given request.user."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.xlsx import xlsx_response
from unionhub.members.selectors import holding_member_in
from unionhub.training import forms, selectors, services

PAGE_SIZE = 50
SORTS = {"title": "title", "topic": "topic", "-created": "-created", "unit": "unit__name"}


@login_required
def course_list(request):
    qs = selectors.course_list(user=request.user)
    if query := request.GET.get("q", "").strip():
        qs = qs.filter(title__icontains=query) | qs.filter(topic__icontains=query)
    qs = qs.order_by(SORTS.get(request.GET.get("sort", ""), "-created"), "pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "courses.xlsx",
            headers=[
                _("Title"),
                _("Topic"),
                _("Organising unit"),
                pgettext("training", "Sessions"),
            ],
            rows=((c.title, c.topic, c.unit.name, c.session_count) for c in qs.iterator()),
            title=_("Courses"),
        )
    form = forms.CourseForm(request.POST or None, user=request.user)
    may_create = scope.units(request.user, role=scope.UNIT_ADMIN).exists()
    if request.method == "POST" and may_create and form.is_valid():
        try:
            course = services.course_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Course created."))
            return redirect("training:course", course.pk)
    return render(
        request,
        "training/list.html",
        {
            "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query,
            "querystring_without_page": urlencode(
                {"q": query, "sort": request.GET.get("sort", "-created")}
            )
            + "&",
            "form": form,
            "may_create": may_create,
        },
    )


@login_required
def course_detail(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    may_organise = scope.can(request.user, scope.UNIT_ADMIN, course.unit)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and may_organise and form.is_valid():
        try:
            services.session_add(course=course, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Session added."))
            return redirect("training:course", course.pk)
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "sessions": selectors.session_list(course=course),
            "form": form,
            "may_organise": may_organise,
        },
    )


@login_required
def session_detail(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    enrolments = selectors.enrolment_list(user=request.user, session=session)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "enrolments.xlsx",
            headers=[_("Participant"), _("Unit"), _("State"), _("Enrolled")],
            rows=(
                (e.member.full_name, e.unit.name, e.get_state_display(),
                 timezone.localtime(e.created).strftime("%d/%m/%Y %H:%M"))
                for e in enrolments.iterator()
            ),
            title=str(session),
        )  # fmt: skip
    form = forms.NominateForm(request.POST or None)
    nominating_units = scope.units(request.user, role=scope.REGISTRAR, within=session.course.unit)
    if request.method == "POST" and form.is_valid():
        member = holding_member_in(units=nominating_units, id_number=form.cleaned_data["id_number"])
        if member is None:
            form.add_error("id_number", _("No member with this number in your units."))
        else:
            try:
                enrolment = services.enrol(session=session, member=member, by=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(state)s.")
                    % {"name": member.full_name, "state": enrolment.get_state_display()},
                )
                return redirect("training:session", session.pk)
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "places": selectors.places_taken(session=session),
            "page_obj": Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": form,
            "may_nominate": nominating_units.exists(),
        },
    )


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    promoted = services.enrolment_cancel(enrolment=enrolment, by=request.user)
    messages.success(request, _("Enrolment cancelled."))
    for moved in promoted:
        messages.info(
            request, _("%(name)s moved from the waiting list to a place.") % {"name": moved.member}
        )
    return redirect("training:session", enrolment.session_id)
