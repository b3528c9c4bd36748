"""Firms declare online in steps; reviewers in scope read the declaration beside last year's figures
and move it along the workflow."""
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from criteria.models import Edition
from criteria.uploads import clean_name, save_with_file, stored_name
from criteria.views.results import RESULT_LABELS, VERDICT_LABELS
from criteria.views.selfassess import AWAITING_JUDGMENT, row_status, rule_facts
from enterprises.models import Enterprise
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.redirects import safe_next
from jinhu_portal.roles import Role, own_enterprise_id, role_of

from .. import codec, declaring, workflow
from ..forms import STEP_NAMES, STEPS, TransitionForm, step_forms
from ..models import Attachment, Declaration, Round, RoundKind

logger = logging.getLogger(__name__)
DATABASE_DOWN = _lazy("数据库连接中断，本次操作未作任何修改，请稍后重试。")


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
    if round_.kind == RoundKind.ADMISSION and declaring.in_pool(firm.pk):
        messages.error(request, _("该企业已在培育库中，无需重复入库。"))
        return redirect(firm)
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


def save_attachment(declaration, upload, kind, purpose, user):
    """Store an evidence file under a random name; the name the firm gave is kept cleaned (no path
    separators, control characters or leading dots) and, when longer than the column, shortened with
    its extension kept. A failed save leaves no file behind."""
    name_length = Attachment._meta.get_field("original_name").max_length
    attachment = Attachment(declaration=declaration, file=upload, original_name=stored_name(upload.name, name_length),
                            size=upload.size, kind=kind, purpose=purpose, uploaded_by=user)
    save_with_file(attachment, "file")
    return attachment


def _claim_choices(round_):
    return [(f"{round_.tier}.{c.code}", f"{c.code} {c.text}")
            for c in round_.edition.criteria.prefetch_related("conditions") if c.is_judgment]


def _forms(step, declaration, post=None, files=None):
    round_ = declaration.round
    choices = _claim_choices(round_) if step == "claims" else ()
    return step_forms(step, codec.initial(step, declaration.data, round_), round_, post, files, choices)


def _save(step, declaration, forms):
    declaration.data = codec.update(step, declaration.data, forms, declaration.round)
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
                try:
                    save_attachment(declaration, upload, form.kind, form.cleaned_data["purpose"], request.user)
                except DatabaseError:
                    messages.error(request, _("“%(name)s”未能保存，请重新上传。") % {"name": upload.name})
                else:
                    messages.success(request, _("已上传“%(name)s”。") % {"name": upload.name})
                return redirect("criteria:declaration_step", pk=pk, step=step)
        elif all(f.is_valid() for f in forms.values()):
            _save(step, declaration, forms)
            messages.success(request, _("“%(step)s”已保存。") % {"step": STEP_NAMES[step]})
            return redirect("criteria:declaration_step", pk=pk, step=_next(step))
    return render(request, "criteria/declaration_step.html", {
        "declaration": declaration, "step": step, "steps": STEPS, "forms": forms,
        "transitions": workflow.available(request.user, declaration),
        "attachments": declaration.attachments.all(),
        "record_sections": [(kind.label, forms[kind.key]) for kind in codec.KINDS if kind.key in forms],
    })


@perm_required("criteria.view_declaration")
def declaration_score(request, pk):
    declaration = _declaration(request, pk)
    result = declaring.score(declaration)
    return render(request, "criteria/_declaration_score.html", {
        "declaration": declaration, "result": result, "result_labels": RESULT_LABELS,
        "verdict_labels": VERDICT_LABELS, "awaiting": _awaiting_judgment(declaration, result)})


def _awaiting_judgment(declaration, result):
    """Codes of the open rules only staff can decide: shown as 待工作人员判断, not 缺数据."""
    edition = Edition.objects.prefetch_related("criteria__conditions").get(pk=declaration.round.edition_id)
    rules = rule_facts([edition])
    rows = [c for v in result.variants for c in v.criteria] + [c for p in result.products for c in p.criteria]
    return {c.code for c in rows if row_status(result.tier, c, rules) == AWAITING_JUDGMENT}


@perm_required("criteria.view_declaration")
def declaration_detail(request, pk):
    declaration = _declaration(request, pk)
    if own_enterprise_id(request.user) == declaration.enterprise_id and declaration.editable:
        return redirect("criteria:declaration_step", pk=pk, step="basic")
    shown = declaration.snapshot or declaration.data
    result = declaring.score(declaration)
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
        "result": result, "result_labels": RESULT_LABELS, "verdict_labels": VERDICT_LABELS,
        "awaiting": _awaiting_judgment(declaration, result),
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
    except DatabaseError:      # the connection dropped: the transition's transaction left nothing behind
        logger.exception("declaration %s: %s failed in the database", pk, action)
        messages.error(request, DATABASE_DOWN)
    else:
        messages.success(request, _("已%(action)s。") % {"action": workflow.TRANSITIONS[action].label})
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect(declaration.enterprise)
    return redirect(safe_next(request, "criteria:declaration_detail", pk=pk))


@perm_required("criteria.view_declaration")
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.filter(
        declaration__in=declarations_in_scope(request.user)), pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=clean_name(attachment.original_name))
    response["X-Content-Type-Options"] = "nosniff"     # whatever SECURE_CONTENT_TYPE_NOSNIFF says
    return response


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
