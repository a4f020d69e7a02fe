"""Officer pages: courses (list, create, detail), a session with its enrolments, nomination and
cancellation. Objects come from the selectors, given request.user."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from unionhub.core import checkin, ratelimit, scope, station
from unionhub.core.clientip import client_address
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.http import site_url
from unionhub.core.pdf import qr_svg
from unionhub.core.registry import UnitPanel
from unionhub.core.tablepdf import pdf_table_response
from unionhub.core.xlsx import xlsx_response
from unionhub.members.selectors import holding_member_in
from unionhub.training import certificates as training_certificates
from unionhub.training import forms, selectors, services
from unionhub.training import passes as training_passes
from unionhub.training.models import Enrolment

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
            "material_form": forms.MaterialForm(),
            "question_form": forms.QuestionForm(),
            "pass_mark_form": forms.PassMarkForm(initial={"pass_mark": course.pass_mark}),
            "questions": selectors.questions(course=course),
            "materials": selectors.materials(course=course),
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
    may_record = scope.can(request.user, scope.UNIT_ADMIN, session.course.unit)
    signup_url = site_url(request) + reverse(
        "training_public:signup", args=[training_passes.signup_token(session.pk)]
    )
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "places": selectors.places_taken(session=session),
            "page_obj": Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": form,
            "may_nominate": nominating_units.exists(),
            "may_record": may_record,
            "signup_url": signup_url,
            "signup_qr": qr_svg(signup_url) if may_record and session.signup_open else "",
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
    if not selectors.is_completed(enrolment):
        raise Http404
    response = HttpResponse(
        training_certificates.certificate_pdf(
            enrolment, verify_url=_verify_url(request, enrolment)
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="training-{enrolment.pk}.pdf"'
    return response


def _section_post(request, form, write, done: str) -> None:
    """A form posted from a section of another page: `write(cleaned_data)`, then `done` or the
    problems shown as messages on that page."""
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return
    try:
        write(form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)


# Materials ---------------------------------------------------------------------------------


@login_required
@require_POST
def material_add(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    _section_post(
        request,
        forms.MaterialForm(request.POST, request.FILES),
        lambda data: services.material_add(course=course, by=request.user, **data),
        _("Material added."),
    )
    return redirect("training:course", course.pk)


@login_required
@require_POST
def material_remove(request, pk):
    material = selectors.material_get(user=request.user, pk=pk)
    try:
        services.material_remove(material=material, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Material removed."))
    return redirect("training:course", material.course_id)


@login_required
def material_file(request, pk):
    material = selectors.material_get(user=request.user, pk=pk)
    if not material.file:
        raise Http404
    return FileResponse(material.file.open("rb"), content_type="application/pdf")


# The quiz ----------------------------------------------------------------------------------


@login_required
@require_POST
def question_add(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    _section_post(
        request,
        forms.QuestionForm(request.POST),
        lambda data: services.question_add(
            course=course,
            text=data["text"],
            choices=data["choices"].splitlines(),
            answer=data["answer"] - 1,
            by=request.user,
        ),
        _("Question added."),
    )
    return redirect("training:course", course.pk)


@login_required
@require_POST
def question_remove(request, pk):
    question = selectors.question_get(user=request.user, pk=pk)
    try:
        services.question_remove(question=question, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("training:course", question.course_id)


@login_required
@require_POST
def quiz_set(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    _section_post(
        request,
        forms.PassMarkForm(request.POST),
        lambda data: services.quiz_set(course=course, pass_mark=data["pass_mark"], by=request.user),
        _("Quiz saved."),
    )
    return redirect("training:course", course.pk)


# Check-in station (core.checkin) -------------------------------------------------------------


def _participant_json(enrolment: Enrolment) -> dict:
    return {
        "id": enrolment.pk,
        "name": enrolment.member.full_name,
        "line": selectors.participant_line(enrolment),
        "photo": "",
    }


def _result_json(result: checkin.ScanResult[Enrolment]) -> dict:
    return station.result_json(result, holder_key="participant", holder=_participant_json)


@login_required
def station_page(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    return render(
        request,
        "training/station.html",
        {
            "session": session,
            "search_url": reverse("training:station_search", args=[session.pk]),
            "station_config": station.config(
                group=session.pk,
                session=session.pk,
                storage="training",
                holder_key="participant",
                roster_key="participants",
                purpose=training_passes.PURPOSE,
                pass_prefix=training_passes.PREFIX,
                urls={
                    "scan": reverse("training:station_scan", args=[session.pk]),
                    "manual": reverse("training:station_manual", args=[session.pk]),
                    "roster": reverse("training:station_roster", args=[session.pk]),
                    "upload": reverse("training:station_upload", args=[session.pk]),
                },
                text=station.station_text(
                    roster=_("Roster: %(count)s participants"),
                    card_invalid=_("This is not a valid training pass."),
                    card_other_group=_("This pass is for another training session."),
                    card_unknown=_("This participant is not enrolled here."),
                    card_revoked=_("This participant has no place in this session."),
                    card_replaced=_("This pass was replaced by a newer one and no longer works."),
                ),
            ),
        },
    )


@login_required
@require_POST
def station_scan(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    result = services.checkin_scan(
        session=session,
        token=training_passes.token_from_scan(request.POST.get("code", "")),
        by=request.user,
        station=request.POST.get("station", ""),
    )
    return JsonResponse(_result_json(result))


@login_required
@require_POST
def station_manual(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    number = request.POST.get("participant", "")
    enrolment = (
        selectors.participants(session=session).filter(pk=int(number)).first()
        if number.isdigit()
        else None
    )
    if enrolment is None:
        refusal = DomainError("card_unknown", _("This participant is not enrolled here."))
        return JsonResponse(_result_json(checkin.refused(refusal)), status=400)
    result = services.checkin_manual(
        session=session,
        enrolment=enrolment,
        by=request.user,
        station=request.POST.get("station", ""),
    )
    return JsonResponse(_result_json(result))


@login_required
@require_GET
def station_roster(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    return JsonResponse(
        {
            "session": session.pk,
            "participants": selectors.roster(session=session),
            "checkedIn": selectors.checked_in_ids(session=session),
        }
    )


@login_required
@require_POST
def station_upload(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    return station.upload_response(
        request,
        lambda items, name: services.checkins_upload(
            session=session, items=items, by=request.user, station=name
        ),
        _result_json,
    )


@login_required
@require_GET
def station_search(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()
    rows = selectors.participants(session=session, query=query)[:20] if query else []
    return render(request, "training/_station_search.html", {"rows": rows, "query": query})


def _pass_url(request, enrolment: Enrolment) -> str:
    return request.build_absolute_uri(
        reverse("training_public:pass", args=[training_passes.pass_token(enrolment)])
    )


@login_required
def passes(request, pk):
    """Every confirmed participant's pass, to print and hand out (or send to their phones)."""
    session = selectors.station_session(user=request.user, pk=pk)
    rows = []
    for enrolment in selectors.participants(session=session):
        url = _pass_url(request, enrolment)
        rows.append((enrolment, url, qr_svg(url)))
    return render(request, "training/passes.html", {"session": session, "rows": rows})


@login_required
@require_POST
def pass_reissue(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    try:
        services.pass_reissue(enrolment=enrolment, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A new pass was made; the old one no longer works."))
    return redirect("training:passes", enrolment.session_id)


@login_required
@require_POST
def signup_toggle(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    services.signup_set(session=session, open=request.POST.get("open") == "1", by=request.user)
    return redirect("training:session", session.pk)


@login_required
@require_POST
def reminders(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    sent = services.reminders_send(session=session, by=request.user, base_url=site_url(request))
    messages.success(request, _("%(count)s reminder e-mails sent.") % {"count": sent})
    return redirect("training:session", session.pk)


# Public: self sign-up and the participant's pass on their phone -------------------------------


SIGNUP_RATE = (10, 600)  # attempts per client address in ten minutes: guessing numbers is slow


@never_cache
def signup(request, token):
    session = selectors.signup_session(token=token)
    if session is None:
        raise Http404
    form = forms.SignupForm(request.POST or None)
    enrolment = None
    if request.method == "POST" and form.is_valid():
        limit, window = SIGNUP_RATE
        if not ratelimit.allow(
            f"training-signup:{client_address(request)}", limit=limit, window=window
        ):
            form.add_error(None, _("Too many attempts from this device; try again in ten minutes."))
        else:
            try:
                enrolment = services.self_enrol(session=session, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
    return render(
        request,
        "training/signup.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "enrolment": enrolment,
            "pass_url": (
                reverse("training_public:pass", args=[training_passes.pass_token(enrolment)])
                if enrolment is not None and enrolment.state == "confirmed"
                else ""
            ),
        },
    )


@never_cache
def pass_page(request, token):
    enrolment = selectors.pass_holder(token=token)
    if enrolment is None:
        return render(request, "training/pass_refused.html", status=403)
    session = enrolment.session
    course = session.course
    questions = list(selectors.questions(course=course)) if course.pass_mark else []
    quiz_error = ""
    if request.method == "POST" and questions:
        answers = {}
        for question in questions:
            chosen = request.POST.get(f"q{question.pk}", "")
            if chosen.isdigit():
                answers[question.pk] = int(chosen)
        try:
            enrolment = services.quiz_submit(enrolment=enrolment, answers=answers)
        except DomainError as error:
            quiz_error = str(error.message)
    passed = course.pass_mark is not None and (enrolment.quiz_score or 0) >= course.pass_mark
    return render(
        request,
        "training/pass.html",
        {
            "enrolment": enrolment,
            "session": session,
            "course": course,
            "token": token,
            "questions": questions,
            "quiz_open": bool(questions)
            and enrolment.attended is not None
            and not passed
            and enrolment.quiz_attempts < services.QUIZ_ATTEMPTS,
            "quiz_passed": passed,
            "quiz_error": quiz_error,
            "completed": selectors.is_completed(enrolment),
            "qr": qr_svg(request.build_absolute_uri(reverse("training_public:pass", args=[token]))),
            "materials": selectors.materials(course=session.course),
        },
    )


@require_GET
@never_cache
def pass_material(request, token, pk):
    enrolment = selectors.pass_holder(token=token)
    if enrolment is None:
        return render(request, "training/pass_refused.html", status=403)
    material = selectors.pass_material(enrolment=enrolment, pk=int(pk))
    # Inline: the phone's own PDF viewer opens it.
    return FileResponse(
        material.file.open("rb"),
        content_type="application/pdf",
        filename=f"{material.title[:80]}.pdf",
    )


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
        export = request.GET.get("export")
        if export in ("xlsx", "pdf"):
            period = _("%(unit)s, %(start)s – %(end)s") % {
                "unit": data["unit"].name,
                "start": data["start"].strftime("%d/%m/%Y"),
                "end": data["end"].strftime("%d/%m/%Y"),
            }
            if missing is not None:
                table: dict = {
                    "filename": "untrained-units",
                    "headers": [_("Code"), _("Unit")],
                    "rows": [(u.code, u.name) for u in missing],
                    "title": _("Units with nobody trained on %(topic)s") % {"topic": data["topic"]},
                }
            else:
                table = {
                    "filename": "trained",
                    "headers": [_("Code"), _("Unit"), _("Topic"), _("People trained")],
                    "rows": [(r.unit.code, r.unit.name, r.topic, r.people) for r in rows],
                    "title": _("People trained"),
                }
            if export == "pdf":
                return pdf_table_response(
                    f"{table['filename']}.pdf",
                    title=table["title"],
                    headers=table["headers"],
                    rows=table["rows"],
                    subtitle=period,
                )
            return xlsx_response(
                f"{table['filename']}.xlsx",
                headers=table["headers"],
                rows=table["rows"],
                title=table["title"],
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
