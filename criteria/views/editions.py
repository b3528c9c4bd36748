"""Staff keep the criteria editions: list, read as the notice's table, clone, edit a draft,
publish, retire, and try a draft against the published edition before publishing."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinhu_portal.decorators import perm_required

from ..forms import CloneForm, ConditionFormSet, CriterionForm, describe_condition, metric_info
from ..models import Criterion, Edition
from ..whatif import assessment_years, what_if


def _editions():
    return Edition.objects.select_related("cloned_from")


@perm_required("criteria.view_edition")
def edition_list(request):
    return render(request, "criteria/edition_list.html", {"editions": _editions().order_by("tier", "-year")})


@perm_required("criteria.view_edition")
def edition_detail(request, pk):
    edition = get_object_or_404(_editions().prefetch_related("criteria__conditions"), pk=pk)
    criteria = list(edition.criteria.all())
    for criterion in criteria:
        criterion.lines = []   # (word joining it to the row above: 且 / 或 / "", the condition in Chinese)
        previous = None
        for condition in criterion.conditions.all():
            joint = "" if previous is None else _("或") if condition.group == previous else _("且")
            criterion.lines.append((joint, describe_condition(condition)))
            previous = condition.group
    variants = [(code, name, [c for c in criteria if c.variant in (code, "")])
                for code, name in edition.ordered_variants(criteria).items()]
    return render(request, "criteria/edition_detail.html", {
        "edition": edition, "variants": variants,
        "editable": edition.status == "draft" and request.user.has_perm("criteria.change_edition"),
        "clone_form": CloneForm(edition=edition, initial={"year": edition.year + 1}),
    })


@perm_required("criteria.add_edition")
@require_POST
def edition_clone(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    form = CloneForm(request.POST, edition=edition)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(edition)
    copy = edition.clone(form.cleaned_data["year"], user=request.user)
    messages.success(request, _("已复制为%(year)s年草稿版本，可修改后发布。") % {"year": copy.year})
    return redirect(copy)


def _transition(request, pk, action, done):
    edition = get_object_or_404(Edition, pk=pk)
    try:
        getattr(edition, action)()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(edition)


@perm_required("criteria.change_edition")
@require_POST
def edition_publish(request, pk):
    return _transition(request, pk, "publish", _("版本已发布，条目已冻结。"))


@perm_required("criteria.change_edition")
@require_POST
def edition_retire(request, pk):
    return _transition(request, pk, "retire", _("版本已废止。"))


def _refuse_frozen(request, edition):
    try:
        edition.ensure_editable()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(edition)
    return None


@perm_required("criteria.change_edition")
def criterion_edit(request, pk=None, edition_pk=None):
    criterion = get_object_or_404(Criterion.objects.select_related("edition"), pk=pk) if pk else None
    edition = criterion.edition if criterion else get_object_or_404(Edition, pk=edition_pk)
    refused = _refuse_frozen(request, edition)
    if refused:
        return refused
    form = CriterionForm(request.POST or None, instance=criterion, parent=edition)
    formset = ConditionFormSet(request.POST or None, instance=form.instance, prefix="conditions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = saved
            formset.save()
        messages.success(request, _("条目 %(code)s 已保存。") % {"code": saved.code})
        return redirect(f"{edition.get_absolute_url()}#criterion-{saved.pk}")
    return render(request, "criteria/criterion_form.html", {
        "form": form, "formset": formset, "edition": edition, "criterion": criterion,
        "condition_forms": [*formset, formset.empty_form], "metric_info": metric_info()})


@perm_required("criteria.delete_criterion")
@require_POST
def criterion_delete(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("edition"), pk=pk)
    refused = _refuse_frozen(request, criterion.edition)
    if refused:
        return refused
    criterion.delete()
    messages.success(request, _("条目 %(code)s 已删除。") % {"code": criterion.code})
    return redirect(criterion.edition)


@perm_required("criteria.change_edition")
def edition_whatif(request, pk):
    """试算对比 for an assessment year the firms have data for (the latest by default)."""
    edition = get_object_or_404(Edition, pk=pk)
    years = assessment_years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    if asked and year is None:
        messages.error(request, _("%(year)s年度没有企业数据，已改用最近的年度。") % {"year": asked})
    try:
        result = what_if(edition, year)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(edition)
    return render(request, "criteria/whatif.html", {
        "edition": edition, "result": result, "years": years or [result.year],
        "lists": [(_("将失去资格"), result.lost, "lost"), (_("将获得资格"), result.gained, "gained")]
        + ([(_("得分变化（结论不变）"), result.rescored, "rescored")] if edition.is_scored else [])})
