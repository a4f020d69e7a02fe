"""Organiser pages for screens and playlists; every read goes through the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.xlsx import xlsx_response
from unionhub.display import forms, kiosk, public, selectors, services
from unionhub.display.models import Slide, SlideKind, kind_label

PAGE_SIZE = 50
# The secret link is shown once, right after it is made; the session carries it to the page.
LINK_SESSION_KEY = "display_new_link"


def _remember_link(request, screen, token: str) -> None:
    request.session[LINK_SESSION_KEY] = {"screen": screen.pk, "token": token}


def _take_link(request, screen) -> str | None:
    stored = request.session.get(LINK_SESSION_KEY)
    if not stored or stored.get("screen") != screen.pk:
        return None
    del request.session[LINK_SESSION_KEY]
    return request.build_absolute_uri(reverse("display_kiosk", kwargs={"token": stored["token"]}))


@login_required
def screen_list(request):
    units = scope.units(request.user, role=scope.CONGRESS_ORGANISER).order_by("path")
    form = forms.ScreenForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            screen, token = services.screen_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _remember_link(request, screen, token)
            messages.success(request, _("Screen created."))
            return redirect("display:screen", pk=screen.pk)
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    screens = selectors.screen_list(user=request.user, query=query, sort=sort)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "screens.xlsx",
            headers=[_("Screen"), _("Unit"), _("Unit code"), _("Slides"), _("Link issued")],
            rows=(
                [s.name, s.unit.name, s.unit.code, s.slide_count, timezone.localdate(s.link_issued)]
                for s in screens.iterator(chunk_size=500)
            ),
            title=_("Screens"),
        )
    page = Paginator(screens, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "display/list.html",
        {
            "page_obj": page,
            "form": form,
            "query": query,
            "sort": sort,
            "querystring_without_page": params.urlencode() + "&" if params else "",
            "export_query": params.urlencode(),
        },
    )


@login_required
def screen_detail(request, pk):
    screen = selectors.screen_get(user=request.user, pk=pk)
    now = timezone.now()
    slides = [
        (s, selectors.slide_status(s, now))
        for s in selectors.slide_list(user=request.user, screen=screen)
    ]
    return render(
        request,
        "display/screen.html",
        {
            "screen": screen,
            "slides": slides,
            "kinds": [
                *SlideKind.choices,
                *((source.kind, source.label) for source in registry.slide_sources().values()),
            ],
            "new_link": _take_link(request, screen),
            "last_seen": selectors.screen_last_seen(screen),
            "rename_form": forms.RenameForm(initial={"name": screen.name}),
        },
    )


@login_required
@require_POST
def screen_rename(request, pk):
    screen = selectors.screen_get(user=request.user, pk=pk)
    form = forms.RenameForm(request.POST)
    if form.is_valid():
        try:
            services.screen_rename(screen=screen, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Saved."))
    return redirect("display:screen", pk=screen.pk)


@login_required
@require_POST
def screen_link_rotate(request, pk):
    screen = selectors.screen_get(user=request.user, pk=pk)
    token = services.screen_link_rotate(screen=screen, by=request.user)
    _remember_link(request, screen, token)
    messages.success(request, _("The old link no longer works. Open the new link on the screen."))
    return redirect("display:screen", pk=screen.pk)


@login_required
@require_POST
def screen_delete(request, pk):
    screen = selectors.screen_get(user=request.user, pk=pk)
    services.screen_delete(screen=screen, by=request.user)
    messages.success(request, _("Screen deleted."))
    return redirect("display:list")


def _slide_form(request, screen, kind, *, slide: Slide | None = None):
    initial = None
    if slide is not None:
        initial = {
            name: getattr(slide, name)
            for name in forms.SlideForm.base_fields
            if name not in ("image", "remove_image")
        }
    return forms.SlideForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        kind=kind,
        editing=slide is not None,
        units=selectors.unit_choices(user=request.user, screen=screen),
        congresses=selectors.congress_choices(user=request.user, screen=screen),
        sessions=selectors.session_choices(user=request.user, screen=screen),
    )


def _source_form(request, screen, kind, *, slide: Slide | None = None):
    """The own fields of a kind another app contributes (None for display's own kinds)."""
    source = registry.slide_sources().get(kind)
    if source is None:
        return None
    return source.form(
        request.POST or None,
        request.FILES or None,
        initial=slide.params if slide is not None else None,
        user=request.user,
        unit=screen.unit,
        prefix="source",
    )


def _slide_page(request, screen, kind, action, slide=None):
    form = _slide_form(request, screen, kind, slide=slide)
    source_form = _source_form(request, screen, kind, slide=slide)
    forms_valid = form.is_valid() and (source_form is None or source_form.is_valid())
    if request.method == "POST" and forms_valid:
        params = source_form.params() if source_form is not None else None
        try:
            action(form.cleaned_data, params)
        except DomainError as error:
            add_domain_error(
                source_form
                if source_form is not None and error.field in source_form.fields
                else form,
                error,
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("display:screen", pk=screen.pk)
    return render(
        request,
        "display/slide_form.html",
        {
            "form": form,
            "source_form": source_form,
            "screen": screen,
            "kind_label": kind_label(kind),
            "slide": slide,
        },
    )


@login_required
def slide_add(request, pk, kind):
    screen = selectors.screen_get(user=request.user, pk=pk)
    if kind not in SlideKind.values and kind not in registry.slide_sources():
        raise Http404
    return _slide_page(
        request,
        screen,
        kind,
        lambda data, params: services.slide_add(
            screen=screen, kind=kind, by=request.user, params=params, **data
        ),
    )


@login_required
def slide_edit(request, pk):
    slide = selectors.slide_get(user=request.user, pk=pk)
    return _slide_page(
        request,
        slide.screen,
        slide.kind,
        lambda data, params: services.slide_update(
            slide=slide, by=request.user, params=params, **data
        ),
        slide=slide,
    )


@login_required
@require_POST
def slide_move(request, pk, direction):
    slide = selectors.slide_get(user=request.user, pk=pk)
    if direction not in ("up", "down"):
        raise Http404
    services.slide_move(slide=slide, by=request.user, offset=-1 if direction == "up" else 1)
    return redirect("display:screen", pk=slide.screen_id)


@login_required
@require_POST
def slide_delete(request, pk):
    slide = selectors.slide_get(user=request.user, pk=pk)
    services.slide_delete(slide=slide, by=request.user)
    messages.success(request, _("Slide removed."))
    return redirect("display:screen", pk=slide.screen_id)


@login_required
@require_GET
def slide_image(request, pk):
    return public.image_response(selectors.slide_get(user=request.user, pk=pk))


def _preview_image_url(slide: Slide) -> str:
    return f"{reverse('display:slide_image', args=[slide.pk])}?v={public.image_version(slide)}"


@login_required
@require_GET
def preview(request, pk):
    """The wall as it looks now, for the organiser (their login instead of the link)."""
    screen = selectors.screen_get(user=request.user, pk=pk)
    return public.shell(
        request,
        screen=screen,
        data_url=reverse("display:preview_data", args=[screen.pk]),
        data=kiosk.payload(screen=screen, image_url=_preview_image_url),
    )


@login_required
@require_GET
def preview_data(request, pk):
    screen = selectors.screen_get(user=request.user, pk=pk)
    return public.data_response(request, kiosk.payload(screen=screen, image_url=_preview_image_url))
