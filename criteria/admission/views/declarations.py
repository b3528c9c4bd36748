"""Firms declare online in steps; reviewers in scope read the declaration beside last year's figures
and move it along the workflow."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import Role, own_enterprise_id, role_of

from .. import declaring, workflow
from ..forms import (STEP_NAMES, STEPS, AttachmentForm, BasicForm, ClaimsForm, FinancialFormSet,
                                 IPFormSet, OtherForm, ProductFormSet, RDFormSet, TransitionForm)
from ..models import Attachment, Declaration, Round
from criteria.views.results import RESULT_LABELS, VERDICT_LABELS


def declarations_in_scope(user):
    return Declaration.objects.visible_to(user)


def _declaration(request, pk):
    return get_object_or_404(declarations_in_scope(request.user).select_related("round__edition", "enterprise__town"),
                             pk=pk)


@roles_required(Role.ENTERPRISE)
@require_POST
def declaration_start(request, round_pk):
    round_ = get_object_or_404(Round, pk=round_pk)
    firm = get_object_or_404(Enterprise, pk=own_enterprise_id(request.user))
    existing = Declaration.objects.filter(round=round_, enterprise=firm).first()
    if existing:
        messages.info(request, _("本企业在该批次已有申报，请继续填写原申报。"))
        return redirect("criteria:declaration_step", pk=existing.pk, step="basic")
    if not round_.is_open():
        messages.error(request, _("该批次不在申报时间内（%(a)s 至 %(b)s）。") % {"a": round_.opens_on, "b": round_.closes_on})
        return redirect(firm)
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(round=round_, enterprise=firm, created_by=request.user,
                                                     data=declaring.initial_data(firm, round_))
    except IntegrityError:
        declaration = Declaration.objects.get(round=round_, enterprise=firm)
    declaring.refresh_score(declaration)
    return redirect("criteria:declaration_step", pk=declaration.pk, step="basic")


def _claim_choices(round_):
    return [(f"{round_.tier}.{c.code}", f"{c.code} {c.text}")
            for c in round_.edition.criteria.prefetch_related("conditions") if c.is_judgment]


def _forms(step, declaration, post=None, files=None):
    data, round_ = declaration.data, declaration.round
    if step == "basic":
        return {"form": BasicForm(post, initial=BasicForm.initial_from(data))}
    if step == "financials":
        return {"formset": FinancialFormSet(post, prefix="fy", years=round_.years,
                                            initial=[f for f in data.get("financials", []) if f.get("year") in round_.years])}
    if step == "products":
        initial = [{"name": p.get("name"), "revenue": (p.get("revenue") or {}).get(str(round_.year)),
                    "rank_province": (p.get("market_rank") or {}).get("province"),
                    "rank_domestic": (p.get("market_rank") or {}).get("domestic"),
                    "supplies_leading_enterprise": p.get("supplies_leading_enterprise") or "",
                    "key_field": bool(p.get("key_field"))} for p in data.get("products") or []]
        return {"formset": ProductFormSet(post, prefix="products", initial=initial)}
    if step == "records":
        firsts = lambda key, field: next((x.get(field) for x in data.get(key) or []), "")  # noqa: E731
        other = {"brand_level": firsts("brands", "level"), "standard_level": firsts("standards", "level"),
                 "standard_role": firsts("standards", "role"), "competition_level": firsts("competitions", "level"),
                 "certifications": [c.get("kind") for c in data.get("certifications") or []],
                 "information_systems": [s.get("kind") for s in data.get("information_systems") or []]}
        return {"ip": IPFormSet(post, prefix="ip", initial=data.get("ip") or []),
                "rd": RDFormSet(post, prefix="rd", initial=data.get("rd_institutions") or []),
                "other": OtherForm(post, initial=other)}
    if step == "claims":
        return {"form": ClaimsForm(post, choices=_claim_choices(round_), initial={"claims": data.get("claims", [])})}
    if step == "attachments":
        return {"form": AttachmentForm(post, files)}
    return {}


def _live(forms):
    return [f for f in forms.values() if f is not None]


def _save(step, declaration, forms):
    data = declaration.data
    if step == "basic":
        data["enterprise"] = {**(data.get("enterprise") or {}), **forms["form"].to_data()}
    elif step == "financials":
        data["financials"] = [f.to_data() for f in forms["formset"].forms]
    elif step == "products":
        year = str(declaration.round.year)
        old = {p.get("name"): p for p in data.get("products") or []}
        products = []
        for f in forms["formset"].forms:
            c = f.cleaned_data
            if not c or c.get("DELETE"):
                continue
            revenue = dict((old.get(c["name"]) or {}).get("revenue") or {})
            if c["revenue"] is not None:
                revenue[year] = str(c["revenue"])
            products.append({"name": c["name"], "revenue": revenue,
                             "market_rank": {k: c[f"rank_{k}"] for k in ("province", "domestic") if c[f"rank_{k}"]},
                             "supplies_leading_enterprise": c["supplies_leading_enterprise"],
                             "key_field": c["key_field"]})
        data["products"] = products
    elif step == "records":
        keep = lambda fs: [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"}  # noqa: E731
                           for f in fs.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        data["ip"], data["rd_institutions"] = keep(forms["ip"]), keep(forms["rd"])
        o = forms["other"].cleaned_data
        data["brands"] = [{"level": o["brand_level"]}] if o["brand_level"] else []
        data["certifications"] = [{"kind": k} for k in o["certifications"]]
        data["standards"] = ([{"level": o["standard_level"], "role": o["standard_role"] or "joined"}]
                             if o["standard_level"] else [])
        data["information_systems"] = [{"kind": k} for k in o["information_systems"]]
        data["competitions"] = [{"level": o["competition_level"]}] if o["competition_level"] else []
    elif step == "claims":
        data["claims"] = forms["form"].cleaned_data["claims"]
    declaration.data = data
    declaring.refresh_score(declaration)


def _next(step):
    names = [s for s, _label in STEPS]
    return names[min(names.index(step) + 1, len(names) - 1)]


@perm_required("criteria.view_declaration")
def declaration_step(request, pk, step):
    declaration = _declaration(request, pk)
    if step not in STEP_NAMES:
        raise Http404
    mine = own_enterprise_id(request.user) == declaration.enterprise_id
    if not mine:
        return redirect(declaration)
    forms = _forms(step, declaration, request.POST or None, request.FILES or None) if declaration.editable else {}
    if request.method == "POST":
        if not declaration.editable:
            messages.error(request, _("申报已提交，当前不能修改。"))
            return redirect(declaration)
        if step == "attachments":
            form = forms["form"]
            if form.is_valid():
                upload = form.cleaned_data["file"]
                Attachment.objects.create(declaration=declaration, file=upload, original_name=upload.name,
                                          size=upload.size, kind=form.kind, purpose=form.cleaned_data["purpose"],
                                          uploaded_by=request.user)
                messages.success(request, _("已上传“%(name)s”。") % {"name": upload.name})
                return redirect("criteria:declaration_step", pk=pk, step=step)
        elif all(f.is_valid() for f in _live(forms)):
            _save(step, declaration, forms)
            messages.success(request, _("“%(step)s”已保存。") % {"step": STEP_NAMES[step]})
            return redirect("criteria:declaration_step", pk=pk, step=_next(step))
    return render(request, "criteria/declaration_step.html", {
        "declaration": declaration, "step": step, "steps": STEPS, "forms": forms,
        "transitions": workflow.available(request.user, declaration),
        "attachments": declaration.attachments.all(),
    })


@perm_required("criteria.view_declaration")
def declaration_score(request, pk):
    declaration = _declaration(request, pk)
    result = declaring.score(declaration)
    return render(request, "criteria/_declaration_score.html", {
        "declaration": declaration, "result": result, "result_labels": RESULT_LABELS,
        "verdict_labels": VERDICT_LABELS})


@perm_required("criteria.view_declaration")
def declaration_detail(request, pk):
    declaration = _declaration(request, pk)
    if own_enterprise_id(request.user) == declaration.enterprise_id and declaration.editable:
        return redirect("criteria:declaration_step", pk=pk, step="basic")
    shown = declaration.snapshot or declaration.data
    years = sorted({f["year"] for f in shown.get("financials", [])})
    stored = {fy.year: fy for fy in declaration.enterprise.fiscal_years.filter(year__in=[y - 1 for y in years] + years)}
    rows = []
    for f in shown.get("financials", []):
        prev = stored.get(f["year"] - 1)
        rows.append({"year": f["year"], "figures": f, "prev": prev})
    return render(request, "criteria/declaration_review.html", {
        "declaration": declaration, "data": shown, "rows": rows, "steps": STEPS,
        "events": declaration.events.select_related("actor"), "attachments": declaration.attachments.all(),
        "transitions": workflow.available(request.user, declaration), "form": TransitionForm(),
        "result": declaring.score(declaration), "result_labels": RESULT_LABELS, "verdict_labels": VERDICT_LABELS,
    })


@perm_required("criteria.view_declaration")
@require_POST
def declaration_transition(request, pk, action):
    declaration = _declaration(request, pk)
    if action not in workflow.TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        workflow.perform(declaration.pk, action, request.user, reason=form.cleaned_data.get("reason", ""),
                         fields=form.cleaned_data.get("fields", []))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": workflow.TRANSITIONS[action].label})
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect(declaration.enterprise)
    return redirect(request.POST.get("next") or reverse("criteria:declaration_detail", args=[pk]))


@perm_required("criteria.view_declaration")
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.filter(
        declaration__in=declarations_in_scope(request.user)), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@roles_required(Role.ENTERPRISE)
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.filter(
        declaration__enterprise_id=own_enterprise_id(request.user)), pk=pk)
    declaration = attachment.declaration
    if not declaration.editable:
        messages.error(request, _("申报已提交，当前不能修改。"))
    else:
        attachment.file.delete(save=False)
        attachment.delete()
    return redirect("criteria:declaration_step", pk=declaration.pk, step="attachments")
