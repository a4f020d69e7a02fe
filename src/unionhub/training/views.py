"""Officer pages: courses (list, create, detail), a session with its enrolments, nomination and
cancellation. Objects come from the selectors, given request.user."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.registry import UnitPanel
from unionhub.core.xlsx import xlsx_response
from unionhub.members.selectors import holding_member_in
from unionhub.training import certificates as training_certificates
from unionhub.training import forms, selectors, services

PAGE_SIZE = 50
SORTS = {"title": "title", "topic": "topic", "-created": "-created", "unit": "unit__name"}


@login_required
def course_list(request):
    query = request.GET.get("q", "").strip()
    qs = selectors.course_list(user=request.user, query=query)
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
            "may_record": scope.can(request.user, scope.UNIT_ADMIN, session.course.unit),
        },
    )


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    try:
        promoted = services.enrolment_cancel(enrolment=enrolment, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("training:session", enrolment.session_id)
    messages.success(request, _("Enrolment cancelled."))
    for moved in promoted:
        messages.info(
            request, _("%(name)s moved from the waiting list to a place.") % {"name": moved.member}
        )
    return redirect("training:session", enrolment.session_id)


@login_required
@require_POST
def attendance(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    try:
        services.attendance_set(
            enrolment=enrolment, present=request.POST.get("present") == "1", by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("training:session", enrolment.session_id)


def _verify_url(request, enrolment) -> str:
    return request.build_absolute_uri(
        reverse("training_public:verify", args=[training_certificates.token(enrolment)])
    )


@login_required
def certificate(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    if enrolment.attended is None:
        raise Http404
    response = HttpResponse(
        training_certificates.certificate_pdf(
            enrolment, verify_url=_verify_url(request, enrolment)
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="training-{enrolment.pk}.pdf"'
    return response


def verify(request, token):
    """Public: anyone checks a training certificate; shows only the name, the course and the
    date."""
    enrolment = selectors.certificate_public(token=token)
    return render(
        request, "training/verify.html", {"enrolment": enrolment}, status=200 if enrolment else 404
    )


@login_required
def report(request):
    form = forms.ReportForm(request.GET or None, user=request.user)
    context: dict = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.trained_by_unit_and_topic(
            user=request.user, unit=data["unit"], start=data["start"], end=data["end"]
        )
        missing = (
            selectors.units_without_training(
                user=request.user, unit=data["unit"], topic=data["topic"],
                start=data["start"], end=data["end"],
            )
            if data["topic"] else None
        )  # fmt: skip
        if request.GET.get("export") == "xlsx":
            if missing is not None:
                return xlsx_response(
                    "untrained-units.xlsx",
                    headers=[_("Code"), _("Unit")],
                    rows=((u.code, u.name) for u in missing.iterator()),
                    title=_("Units with nobody trained on %(topic)s") % {"topic": data["topic"]},
                )
            return xlsx_response(
                "trained.xlsx",
                headers=[_("Code"), _("Unit"), _("Topic"), _("People trained")],
                rows=((r.unit.code, r.unit.name, r.topic, r.people) for r in rows),
                title=_("People trained"),
            )
        context.update(rows=rows, missing=missing)
    return render(request, "training/report.html", context)


PANEL_ROWS = 20


def unit_panel(request, unit) -> UnitPanel | None:
    """The training its people completed, on the unit page."""
    trained = selectors.trained_in_unit(user=request.user, unit=unit)
    rows = list(trained[:PANEL_ROWS])
    if not rows:
        return None
    return UnitPanel(
        "training/_unit_panel.html",
        {"rows": rows, "total": trained.count(), "unit": unit},
        order=72,
    )
