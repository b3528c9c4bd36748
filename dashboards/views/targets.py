"""Staff edit the plan's targets and add a plan period without code (issue 10 §1).

Everyone who reads the dashboards may read the list (a leader sees what is measured and by whom);
only staff and the administrator (the dashboards' change/add permissions) edit. Saving a target or a
period bumps the figures' cache version (signals.py), so every page counts with the new definition.
"""
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jinhu_portal.decorators import perm_required

from ..forms import PeriodForm, TargetForm
from ..models import PlanPeriod, Target


@perm_required("dashboards.view_target")
def manage(request):
    periods = PlanPeriod.objects.prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("order", "code")),
                                                  "weights").order_by("-start_year")
    return render(request, "dashboards/target_manage.html", {"periods": periods})


@perm_required("dashboards.change_target")
def edit(request, pk):
    target = get_object_or_404(Target.objects.select_related("period"), pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存目标“%(name)s”。") % {"name": target.name})
        return redirect("dashboards:target_manage")
    return render(request, "dashboards/target_form.html", {"form": form, "target": target, "period": target.period})


@perm_required("dashboards.add_target")
def create(request, period_pk):
    period = get_object_or_404(PlanPeriod, pk=period_pk)
    form = TargetForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        target = form.save()
        messages.success(request, _("已添加目标“%(name)s”。") % {"name": target.name})
        return redirect("dashboards:target_manage")
    return render(request, "dashboards/target_form.html", {"form": form, "target": None, "period": period})


@perm_required("dashboards.add_planperiod")
def period_create(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.save()
        messages.success(request, _("已创建规划期“%(p)s”，含目标 %(n)s 个。") % {"p": period, "n": period.targets.count()})
        return redirect("dashboards:target_manage")
    return render(request, "dashboards/period_form.html", {"form": form})
