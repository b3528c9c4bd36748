"""典型宣传: public pages (no login) of published cases of recognised firms, and staff's pages to
write and publish them.

What the public sees of a firm is its name, its town, the recognition (kind, level, year) and what
staff wrote: never a figure, a contact, a code or an address. An unpublished entry (page and
picture) is a 404 for everybody but staff and admins, who preview it with a “未发布” badge. Pictures
live under MEDIA_ROOT, which is not served: `showcase_picture` sends the file of a published entry
with a content type read from its bytes (JPG or PNG only).
"""
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria.uploads import save_with_file
from enterprises.models import RecognitionKind
from jinhu_portal.decorators import roles_required
from jinhu_portal.roles import STAFF_ROLES, is_staff_role

from ..models import ShowcaseEntry
from ..showcase_forms import PICTURE_TYPES, ShowcaseForm, picture_kind

KIND_ORDER = {kind: i for i, kind in enumerate(RecognitionKind.values)}


def _public():
    return (ShowcaseEntry.objects.filter(published=True)
            .select_related("enterprise__town", "recognition"))


def _entry_for(request, pk):
    """A published entry; an unpublished one for staff only; else 404."""
    qs = ShowcaseEntry.objects.select_related("enterprise__town", "recognition")
    if not is_staff_role(request.user):
        qs = qs.filter(published=True)
    return get_object_or_404(qs, pk=pk)


def showcase(request):
    """Published entries grouped by the recognition's kind (highest tier first), then year; filtered
    by `?year=` and `?kind=` (unknown values are ignored, never an error)."""
    entries = _public()
    years = sorted(set(entries.values_list("recognition__year", flat=True)), reverse=True)
    kinds = sorted(set(entries.values_list("recognition__kind", flat=True)), key=lambda k: KIND_ORDER.get(k, 99))
    year, kind = request.GET.get("year", ""), request.GET.get("kind", "")
    if year.isdigit() and int(year) in years:
        entries = entries.filter(recognition__year=int(year))
    else:
        year = ""
    if kind in kinds:
        entries = entries.filter(recognition__kind=kind)
    else:
        kind = ""
    labels = dict(RecognitionKind.choices)
    groups = {}
    for e in entries:
        key = (KIND_ORDER.get(e.recognition.kind, 99), -e.recognition.year)
        groups.setdefault(key, {"kind": labels.get(e.recognition.kind, e.recognition.kind),
                                "year": e.recognition.year, "entries": []})["entries"].append(e)
    return render(request, "dashboards/showcase.html", {
        "groups": [groups[k] for k in sorted(groups)], "years": years,
        "kinds": [(k, labels.get(k, k)) for k in kinds], "year": year, "kind": kind,
        "can_edit": is_staff_role(request.user)})


def showcase_detail(request, pk):
    entry = _entry_for(request, pk)
    paragraphs = [p.strip() for p in entry.case_text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return render(request, "dashboards/showcase_detail.html", {
        "entry": entry, "paragraphs": paragraphs, "can_edit": is_staff_role(request.user)})


def showcase_picture(request, pk):
    entry = _entry_for(request, pk)
    if not entry.picture:
        raise Http404
    try:
        handle = entry.picture.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    kind = picture_kind(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=PICTURE_TYPES[kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    if not entry.published:
        response["Cache-Control"] = "private, no-store"
    return response


# ---- Staff ---------------------------------------------------------------------------------------

@roles_required(*STAFF_ROLES)
def showcase_manage(request):
    entries = ShowcaseEntry.objects.select_related("enterprise__town", "recognition").order_by(
        "published", "-recognition__year", "enterprise__name")
    return render(request, "dashboards/showcase_manage.html", {"entries": entries})


def _save(request, form, entry=None):
    with transaction.atomic():
        obj = form.save(commit=False)
        if obj.published and not obj.published_at:
            obj.published_at = timezone.now()
        if not obj.published:
            obj.published_at = None
        save_with_file(obj, "picture")
    return obj


@roles_required(*STAFF_ROLES)
def showcase_create(request):
    form = ShowcaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form)
        messages.success(request, _("已保存典型案例“%(title)s”。") % {"title": entry.title})
        return redirect("dashboards:showcase_detail", pk=entry.pk)
    return render(request, "dashboards/showcase_form.html", {"form": form, "title": _("新增典型案例")})


@roles_required(*STAFF_ROLES)
def showcase_edit(request, pk):
    entry = get_object_or_404(ShowcaseEntry, pk=pk)
    form = ShowcaseForm(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form, entry)
        messages.success(request, _("已保存典型案例“%(title)s”。") % {"title": entry.title})
        return redirect("dashboards:showcase_detail", pk=entry.pk)
    return render(request, "dashboards/showcase_form.html", {"form": form, "title": _("编辑典型案例"), "entry": entry})


def _set_published(request, pk, published):
    entry = get_object_or_404(ShowcaseEntry, pk=pk)
    ShowcaseEntry.objects.filter(pk=pk).update(published=published,
                                               published_at=timezone.now() if published else None)
    if published:
        messages.success(request, _("已发布“%(title)s”，公众无需登录即可查看。") % {"title": entry.title})
    else:
        messages.success(request, _("已撤回“%(title)s”，公众不再能看到它。") % {"title": entry.title})
    return redirect("dashboards:showcase_manage")


@roles_required(*STAFF_ROLES)
@require_POST
def showcase_publish(request, pk):
    return _set_published(request, pk, True)


@roles_required(*STAFF_ROLES)
@require_POST
def showcase_unpublish(request, pk):
    return _set_published(request, pk, False)
