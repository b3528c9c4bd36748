"""季度信息通报: the quarter's bulletin as a printable page, a PDF and an XLSX, an index of quarters,
and the notable events staff pick for it.

Readers: everyone with the dashboards' view permission (staff, leaders, member units, town officers;
a town officer's bulletin is counted for its town, see dashboards/bulletin.py). Writers of events:
staff and admins. A quarter outside 1–4 or a year outside every plan period is a Chinese 404.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria.dossier import PdfUnavailable
from jinhu_portal.decorators import perm_required
from jinhu_portal.roles import is_staff_role

from .. import bulletin
from ..models import NotableEvent
from ..showcase_forms import EventForm

READ = "dashboards.view_notableevent"
MIN_YEAR, MAX_YEAR = 1900, 2999


def _missing(request, message):
    return render(request, "dashboards/bulletin_missing.html", {"message": message}, status=404)


def _quarter(request, year, quarter):
    """(quarter, period), or a 404 answer saying what is wrong with the address."""
    if quarter not in bulletin.QUARTER_NAMES:
        return None, _missing(request, _("季度“Q%(n)s”不存在：季度只能是 Q1、Q2、Q3 或 Q4，例如 2024Q2。")
                              % {"n": quarter})
    found = bulletin.parse(year, quarter) if MIN_YEAR <= year <= MAX_YEAR else None
    if found is None:
        return None, _missing(request, _("%(year)s年不在任何规划期内，没有该年度的季度信息通报。") % {"year": year})
    return found, None


def _data(request, year, quarter):
    found, refused = _quarter(request, year, quarter)
    if refused:
        return None, refused
    q, period = found
    return bulletin.gather(q, period, request.user), None


@perm_required(READ)
def bulletin_index(request):
    return render(request, "dashboards/bulletin_index.html", {
        "periods": bulletin.quarters_by_period(), "latest": bulletin.latest_quarter(),
        "can_edit": is_staff_role(request.user)})


@perm_required(READ)
def bulletin_page(request, year, quarter):
    data, refused = _data(request, year, quarter)
    if refused:
        return refused
    return render(request, "dashboards/bulletin.html", {"b": data, "can_edit": is_staff_role(request.user)})


def _filename(data, ext):
    return f"季度信息通报_{data['quarter'].slug}_{data['scope']}.{ext}"


@perm_required(READ)
def bulletin_pdf(request, year, quarter):
    data, refused = _data(request, year, quarter)
    if refused:
        return refused
    try:
        pdf = bulletin.render_pdf(data)
    except PdfUnavailable as exc:
        return render(request, "dashboards/bulletin_missing.html", {"message": str(exc), "title": _("PDF 生成失败")},
                      status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, _filename(data, "pdf"))
    return response


@perm_required(READ)
def bulletin_xlsx(request, year, quarter):
    data, refused = _data(request, year, quarter)
    if refused:
        return refused
    response = HttpResponse(bulletin.xlsx_bytes(data),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, _filename(data, "xlsx"))
    return response


# ---- Notable events (staff) ----------------------------------------------------------------------

@perm_required("dashboards.add_notableevent")
def event_list(request):
    events = NotableEvent.objects.select_related("enterprise", "created_by").order_by("-date", "-pk")
    return render(request, "dashboards/event_list.html", {"events": events})


@perm_required("dashboards.add_notableevent")
def event_create(request):
    initial = {}
    if request.GET.get("date") and parse_date(request.GET["date"]):
        initial["date"] = parse_date(request.GET["date"])
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        event = form.save()
        messages.success(request, _("已添加重要事项“%(title)s”。") % {"title": event.title})
        return redirect("dashboards:event_list")
    return render(request, "dashboards/event_form.html", {"form": form, "title": _("添加重要事项")})


@perm_required("dashboards.change_notableevent")
def event_edit(request, pk):
    event = get_object_or_404(NotableEvent, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存重要事项“%(title)s”。") % {"title": event.title})
        return redirect("dashboards:event_list")
    return render(request, "dashboards/event_form.html", {"form": form, "title": _("编辑重要事项"), "event": event})


@perm_required("dashboards.delete_notableevent")
@require_POST
def event_delete(request, pk):
    event = get_object_or_404(NotableEvent, pk=pk)
    event.delete()
    messages.success(request, _("已删除重要事项“%(title)s”。") % {"title": event.title})
    return redirect("dashboards:event_list")
