"""Officers' pages: the stories of their units, the editor, the workflow, the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from unionhub.core.errors import DomainError
from unionhub.core.ranges import ranged_file_response
from unionhub.core.xlsx import xlsx_response
from unionhub.news import selectors, services
from unionhub.news.forms import (
    FilterForm,
    ImageForm,
    PortalForm,
    ReturnForm,
    StatisticsForm,
    StoryForm,
    VideoForm,
)
from unionhub.news.models import State

PAGE_SIZE = 25


def _page(request, qs) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    encoded = query.urlencode()
    return {
        "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }


@login_required
@require_GET
def index(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort", "-updated")
    qs = selectors.stories(
        request.user,
        state=filters.get("state", ""),
        category=filters.get("category", ""),
        q=filters.get("q", ""),
        sort=sort,
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                s.unit.code,
                s.title,
                s.get_category_display(),
                s.get_state_display(),
                timezone.localtime(s.publish_at).strftime("%Y-%m-%d %H:%M") if s.publish_at else "",
                s.views,
            ]
            for s in qs.iterator()
        )
        headers = [
            _("Unit"),
            _("Title"),
            _("News category"),
            _("State"),
            _("Publish at"),
            _("Views"),
        ]
        return xlsx_response("tin-bai.xlsx", headers=headers, rows=rows, title=_("News"))
    context = {
        "form": form,
        "sort": sort,
        "portal_units": selectors.portal_units(request.user)[:20],
        **_page(request, qs),
    }
    return render(request, "news/index.html", context)


def _story_args(form: StoryForm) -> dict:
    data = form.cleaned_data
    return {
        "unit": data["unit"],
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "category": data["category"],
        "tags": data["tags"],
        "cover": data.get("cover"),
        "publish_at": data["publish_at"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    form = StoryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.save_story(by=request.user, **_story_args(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The story was saved as a draft."))
            return redirect("news:edit", pk=story.pk)
    return render(request, "news/edit.html", {"form": form, "story": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    story = selectors.story(request.user, pk)
    initial = {
        "unit": story.unit,
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "category": story.category,
        "tags": story.tags,
        "publish_at": timezone.localtime(story.publish_at) if story.publish_at else None,
    }
    form = StoryForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_story(by=request.user, story=story, **_story_args(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The story was saved."))
            return redirect("news:edit", pk=story.pk)
    context = {
        "form": form,
        "story": story,
        "image_form": ImageForm(),
        "video_form": VideoForm(),
        "return_form": ReturnForm(),
        "images": selectors.public_images(story),
        "featured_by": selectors.featured_by(story),
        "upper_units": selectors.feature_units(request.user, story),
        "State": State,
    }
    return render(request, "news/edit.html", context)


def _refused(request, story, form):
    """A form posted from the story's page that did not validate: its errors as messages there."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("news:edit", pk=story.pk)


def _act(request, story, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)
    return redirect("news:edit", pk=story.pk)


@login_required
@require_POST
def submit(request, pk):
    story = selectors.story(request.user, pk)
    return _act(
        request,
        story,
        lambda: services.submit(by=request.user, story=story),
        _("The story was submitted for publishing."),
    )


@login_required
@require_POST
def publish(request, pk):
    story = selectors.story(request.user, pk)
    return _act(
        request,
        story,
        lambda: services.publish(by=request.user, story=story),
        _("The story was published."),
    )


@login_required
@require_POST
def return_story(request, pk):
    story = selectors.story(request.user, pk)
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        story,
        lambda: services.return_story(by=request.user, story=story, comment=comment),
        _("The story was returned to its writer."),
    )


@login_required
@require_POST
def feature(request, pk, unit):
    story = selectors.story(request.user, pk)
    upper = selectors.unit(request.user, unit)
    if request.POST.get("remove"):
        return _act(
            request,
            story,
            lambda: services.unfeature(by=request.user, story=story, unit=upper),
            _("The story is no longer featured."),
        )
    return _act(
        request,
        story,
        lambda: services.feature(by=request.user, story=story, unit=upper),
        _("The story is featured on the portal of %(unit)s.") % {"unit": upper.name},
    )


@login_required
@require_POST
def add_image(request, pk):
    story = selectors.story(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, story, form)
    return _act(
        request,
        story,
        lambda: services.add_image(
            by=request.user,
            story=story,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        ),
        _("The photo was added."),
    )


@login_required
@require_POST
def remove_image(request, pk):
    image = selectors.story_image(request.user, pk)
    story = image.story
    return _act(
        request,
        story,
        lambda: services.remove_image(by=request.user, image=image),
        _("The photo was removed."),
    )


@login_required
@require_POST
def video_upload(request, pk):
    story = selectors.story(request.user, pk)
    form = VideoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, story, form)
    return _act(
        request,
        story,
        lambda: services.set_video(
            by=request.user,
            story=story,
            video=form.cleaned_data["video"],
            poster=form.cleaned_data["poster"],
        ),
        _("The video was added."),
    )


@login_required
@require_POST
def video_remove(request, pk):
    story = selectors.story(request.user, pk)
    return _act(
        request,
        story,
        lambda: services.remove_video(by=request.user, story=story),
        _("The video was removed."),
    )


@login_required
@require_safe
def video(request, pk):
    """The video of a story in any state, for its writers' preview (in ranges, for seeking)."""
    story = selectors.story(request.user, pk)
    if not story.video:
        return HttpResponse(status=404)
    return ranged_file_response(request, story.video, content_type=story.video_type)


@login_required
@require_GET
def video_poster(request, pk):
    story = selectors.story(request.user, pk)
    if not story.video_poster:
        return HttpResponse(status=404)
    return FileResponse(story.video_poster.open("rb"), content_type="image/jpeg")


@login_required
@require_GET
def cover(request, pk):
    """The cover of a story not yet public, for its writers' preview."""
    story = selectors.story(request.user, pk)
    if not story.cover:
        return HttpResponse(status=404)
    return FileResponse(story.cover_small.open("rb"), content_type="image/jpeg")


@login_required
@require_http_methods(["GET", "POST"])
def portal(request, unit):
    chosen = selectors.unit(request.user, unit)
    current = selectors.portal(chosen)
    initial = (
        {
            "show_figures": current.show_figures,
            "phone": current.phone,
            "email": current.email,
            "about": current.about,
        }
        if current
        else {}
    )
    form = PortalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_portal(by=request.user, unit=chosen, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The portal settings were saved."))
            return redirect("news:portal", unit=chosen.pk)
    return render(request, "news/portal_settings.html", {"form": form, "unit": chosen})


@login_required
@require_GET
def statistics(request):
    today = timezone.localdate()
    default = {"start": today.replace(month=1, day=1), "end": today}
    form = StatisticsForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_valid() else default
    start = period["start"]
    end = period["end"]
    rows = selectors.statistics(request.user, unit=None, start=start, end=end)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("Unit code"),
            _("Unit"),
            _("Month"),
            _("News category"),
            _("Stories"),
            _("Views"),
        ]
        return xlsx_response(
            f"thong-ke-tin-bai-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
            headers=headers,
            rows=(
                [
                    r["unit__code"],
                    r["unit__name"],
                    r["month"].strftime("%Y-%m"),
                    str(r["category_label"]),
                    r["count"],
                    r["views"] or 0,
                ]
                for r in rows
            ),
            title=_("News statistics"),
        )
    totals = {"count": sum(r["count"] for r in rows), "views": sum(r["views"] or 0 for r in rows)}
    context = {"form": form, "rows": rows, "totals": totals, "start": start, "end": end}
    return render(request, "news/statistics.html", context)
