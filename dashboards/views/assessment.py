"""专项考核: the towns ranked on their pool firms for a year (page and XLSX), and the weights staff
set per plan period. Every dashboards reader sees the whole ranking (town officers included: it is
what they are measured by); it shows counts, never a firm."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import perm_required

from .. import assessment, services
from ..forms import WeightsForm
from ..models import PlanPeriod


class BadYear(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def _year_and_period(request):
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        year = services.default_year()
    elif raw.isascii() and raw.isdigit() and len(raw) <= 4:
        year = int(raw)
    else:
        raise BadYear(_("年度须为四位数字，如 2024。"), 400)
    period = services.period_for(year)
    if period is None:
        known = "、".join(f"{p.start_year}—{p.end_year}年" for p in PlanPeriod.objects.all()) or _("暂无")
        raise BadYear(_("%(year)s年不在任何规划期内（已有规划期：%(known)s）。") % {"year": year, "known": known}, 404)
    return year, period


def _years():
    return [y for p in PlanPeriod.objects.order_by("-start_year") for y in reversed(p.years)]


@perm_required("dashboards.view_assessmentweight")
def page(request):
    try:
        year, period = _year_and_period(request)
    except BadYear as exc:
        return render(request, "dashboards/assessment.html", {"error": exc.message, "years": _years()},
                      status=exc.status)
    context = {"year": year, "period": period, "years": _years(), **assessment.table(period, year, request.user)}
    return render(request, "dashboards/assessment.html", context)


@perm_required("dashboards.view_assessmentweight")
def export(request):
    try:
        year, period = _year_and_period(request)
    except BadYear as exc:
        return render(request, "dashboards/assessment.html", {"error": exc.message, "years": _years()},
                      status=exc.status)
    data = assessment.table(period, year, request.user)
    headers = [_("排名"), _("镇（街道、开发区）"), _("类型")]
    headers += [_("%(label)s（权重 %(w)s 分/项）") % {"label": i["label"], "w": _weight(i["weight"])}
                for i in data["indicators"]]
    headers.append(_("得分"))
    rows = [[row["rank"], row["town"].name, str(row["kind"]),
             *["—" if v is None else v for v in row["values"]], float(row["score"])] for row in data["rows"]]
    rows.append([])
    rows += [[f"{i['label']}：{i['note']}"] for i in data["indicators"]]
    return xlsx_response(f"专项考核_{year}年.xlsx", f"{year}年专项考核", headers, rows)


def _weight(value):
    return f"{value.normalize():f}"


@perm_required("dashboards.change_assessmentweight")
def weights(request):
    raw = request.GET.get("period") or request.POST.get("period")
    if raw and raw.isdigit():
        period = get_object_or_404(PlanPeriod, pk=int(raw))
    else:
        period = services.period_for(services.default_year()) or PlanPeriod.objects.order_by("-start_year").first()
        if period is None:
            return redirect("dashboards:target_manage")
    form = WeightsForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存“%(p)s”的考核权重。") % {"p": period})
        year = max(period.start_year, min(services.default_year(), period.end_year))
        return redirect(f"{reverse('dashboards:assessment')}?year={year}")
    return render(request, "dashboards/assessment_weights.html", {"form": form, "period": period,
                                                                  "periods": PlanPeriod.objects.all()})
