"""Requests (诉求) and meeting tasks followed to closure: one table of steps for both.

A step names the states it leaves from, the state it reaches, who may take it, what it needs
(a unit and due date, an answer, a note), the fields it stamps and whom it tells, so `advance`
has no branch on a step's name (after criteria/admission/workflow.py):

    file    (new)                 → submitted   requests only: the firm's own user, or staff for it
    route   submitted | routed    → routed      staff; unit + due date (not in the past); re-routing allowed
            (blank) → routed                    decisions: staff make a decision a task this way
    answer  routed                → answered    an officer of the item's unit, or staff; answer text
    confirm answered              → closed      the firm's user or staff (requests), staff (decisions)
    reopen  answered              → routed      as confirm; a note saying why

Each step runs in one transaction with the row locked and a conditional `UPDATE … WHERE status = old`,
writes one RequestEvent / DecisionEvent and its notifications; a refused step raises ValidationError
(Chinese message) and changes nothing.
"""
import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models.choices import MemberUnit
from enterprises.notify import notify, notify_enterprise
from jinhu_portal.roles import GROUP_NAMES, STAFF_ROLES, Role, own_enterprise_id, role_of

from .models import Decision, DecisionEvent, RequestAction, RequestEvent, RequestStatus, ServiceRequest

NEW = ""  # the "state" of a request not yet filed, and of a decision that is not (yet) a task


class NotAllowed(ValidationError):
    """The user may not take this step on this item (views answer 403, or 404 when out of scope)."""


class Conflict(ValidationError):
    """The item is not (any more) in a state the step leaves from."""


@dataclass
class Move:
    item: object
    user: object
    note: str
    unit: str
    due_date: datetime.date | None
    answer: str
    today: datetime.date
    now: datetime.datetime

    @property
    def is_request(self):
        return isinstance(self.item, ServiceRequest)


# --- Who: predicates on (item, user) -----------------------------------------------------------------

def unit_of_user(user):
    from .services import unit_of

    return unit_of(user)


def staff(item, user):
    return role_of(user) in STAFF_ROLES


def unit_officer_or_staff(item, user):
    if staff(item, user):
        return True
    return role_of(user) == Role.MEMBER_UNIT and bool(item.unit) and unit_of_user(user) == item.unit


def firm_or_staff(item, user):
    """Requests: the firm's own enterprise user, or staff on its behalf; decisions: staff."""
    if staff(item, user):
        return True
    if not isinstance(item, ServiceRequest):
        return False
    firm_id = own_enterprise_id(user)
    return firm_id is not None and firm_id == item.enterprise_id


# --- Needs: checks on the input before anything moves; each raises ValidationError ------------------

def needs_unit_and_due(move):
    errors = {}
    if move.unit not in MemberUnit.values:
        errors["unit"] = _("请选择承办单位。")
    if move.due_date is None:
        errors["due_date"] = _("请填写办理期限。")
    elif move.due_date < move.today:
        errors["due_date"] = _("办理期限不能早于今天。")
    if errors:
        raise ValidationError(errors)


def needs_answer(move):
    if not move.answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})


def needs_note(move):
    if not move.note.strip():
        raise ValidationError({"note": _("退回重办须说明原因。")})


def has_answer(move):
    if not (move.item.answer or "").strip():
        raise ValidationError(_("尚无答复内容，不能确认办结。"))


# --- Stamps: the fields a step writes with the new state ---------------------------------------------

def filed(move):
    return {"filed_by": move.user}


def routed(move):
    return {"unit": move.unit, "due_date": move.due_date}


def answered(move):
    return {"answer": move.answer.strip(), "answered_at": move.now}


def closed(move):
    return {"closed_at": move.now}


def reopened(move):
    return {"answered_at": None, "closed_at": None}


# --- Notices: whom a step tells (inside the same transaction) ----------------------------------------

def users_with_role(role):
    return get_user_model().objects.filter(is_active=True, groups__name=GROUP_NAMES[role])


def staff_users():
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__name=GROUP_NAMES[Role.STAFF]) | Q(groups__name=GROUP_NAMES[Role.ADMIN]))
            .distinct().order_by("pk"))


def unit_officers(unit):
    if not unit:
        return get_user_model().objects.none()
    return users_with_role(Role.MEMBER_UNIT).filter(scope__member_unit=unit).distinct().order_by("pk")


def link_for(item):
    if isinstance(item, ServiceRequest):
        return reverse("services:request_detail", args=[item.pk])
    return reverse("services:task_detail", args=[item.pk])


def describe(item):
    if isinstance(item, ServiceRequest):
        return _("%(firm)s 的诉求“%(text)s”") % {"firm": item.enterprise, "text": _short(item.description)}
    return _("联席会议议定事项“%(text)s”") % {"text": _short(item.text)}


def _short(text, length=30):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length] + "…"


def tell_staff_new(move):
    for user in staff_users():
        notify(user, _("新诉求待分办：%(item)s") % {"item": describe(move.item)}, link=link_for(move.item))


def tell_unit_routed(move):
    item = move.item
    for user in unit_officers(item.unit):
        notify(user, _("请办理：%(item)s，期限 %(due)s") % {"item": describe(item), "due": item.due_date.isoformat()},
               body=move.note, link=link_for(item))


def tell_answered(move):
    item = move.item
    title = _("已答复：%(item)s，请确认是否办结") % {"item": describe(item)}
    if move.is_request:
        notify_enterprise(item.enterprise, title, body=item.answer, link=link_for(item))
    else:
        for user in staff_users():
            notify(user, title, body=item.answer, link=link_for(item))


def tell_unit_reopened(move):
    item = move.item
    for user in unit_officers(item.unit):
        notify(user, _("退回重办：%(item)s") % {"item": describe(item)}, body=move.note, link=link_for(item))


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: tuple
    target: str
    who: object
    kinds: tuple = ("request", "decision")
    decision_sources: tuple | None = None  # when decisions leave from other states than requests
    needs: tuple = ()
    stamps: tuple = ()
    notices: tuple = ()

    def sources_for(self, item):
        if isinstance(item, Decision) and self.decision_sources is not None:
            return self.decision_sources
        return self.sources


S = RequestStatus
STEPS = {s.action: s for s in [
    Step(RequestAction.FILE, gettext_lazy("提交诉求"), (NEW,), S.SUBMITTED, firm_or_staff, kinds=("request",),
         stamps=(filed,), notices=(tell_staff_new,)),
    Step(RequestAction.ROUTE, gettext_lazy("分办"), (S.SUBMITTED, S.ROUTED), S.ROUTED, staff,
         decision_sources=(NEW, S.ROUTED), needs=(needs_unit_and_due,), stamps=(routed,),
         notices=(tell_unit_routed,)),
    Step(RequestAction.ANSWER, gettext_lazy("答复"), (S.ROUTED,), S.ANSWERED, unit_officer_or_staff,
         needs=(needs_answer,), stamps=(answered,), notices=(tell_answered,)),
    Step(RequestAction.CONFIRM, gettext_lazy("确认办结"), (S.ANSWERED,), S.CLOSED, firm_or_staff,
         needs=(has_answer,), stamps=(closed,)),
    Step(RequestAction.REOPEN, gettext_lazy("退回重办"), (S.ANSWERED,), S.ROUTED, firm_or_staff,
         needs=(needs_note,), stamps=(reopened,), notices=(tell_unit_reopened,)),
]}


def _kind(item):
    if isinstance(item, ServiceRequest):
        return "request"
    if isinstance(item, Decision):
        return "decision"
    raise TypeError(f"not a request or decision: {item!r}")


def _state(item):
    """The state a step leaves from: a request not yet saved is NEW, whatever its default status."""
    if isinstance(item, ServiceRequest) and item.pk is None:
        return NEW
    return item.status or NEW


def may(item, action, user):
    """Whether `user` may take `action` on `item` in its present state (input not checked)."""
    step = STEPS.get(action)
    return (step is not None and _kind(item) in step.kinds and _state(item) in step.sources_for(item)
            and bool(getattr(user, "is_authenticated", False)) and step.who(item, user))


def allowed_actions(item, user):
    """The steps `user` may take on `item` now (for buttons), filing excluded."""
    return [step for action, step in STEPS.items() if action != RequestAction.FILE and may(item, action, user)]


def advance(item, action, user, *, note="", unit="", due_date=None, answer="", today=None):
    """Take one step; returns the item after it. Raises ValidationError (NotAllowed, Conflict, or one
    naming the field) with a Chinese message, and then nothing has changed."""
    step = STEPS.get(action)
    kind = _kind(item)
    if step is None or kind not in step.kinds:
        raise NotAllowed(_("不支持的操作。"))
    model, event_model = (ServiceRequest, RequestEvent) if kind == "request" else (Decision, DecisionEvent)
    today = today or timezone.localdate()
    with transaction.atomic():
        if _state(item) == NEW and kind == "request":
            current = item
            old = NEW
        else:
            current = model.objects.select_for_update().get(pk=item.pk)
            old = current.status or NEW
        if not (getattr(user, "is_authenticated", False) and step.who(current, user)):
            raise NotAllowed(_("您无权对该事项执行“%(action)s”。") % {"action": step.label})
        if old not in step.sources_for(current):
            status = current.get_status_display() if old else _("未分办")
            raise Conflict(_("该事项当前状态为“%(status)s”，不能“%(action)s”：可能已被他人处理，请刷新后查看。")
                           % {"status": status, "action": step.label})
        move = Move(current, user, (note or "").strip(), unit or "", due_date, answer or "", today, timezone.now())
        for need in step.needs:
            need(move)
        changes = {"status": step.target}
        for stamp in step.stamps:
            changes.update(stamp(move))
        if old == NEW and kind == "request":
            for field, value in changes.items():
                setattr(current, field, value)
            current.full_clean(exclude=["filed_by"])
            current.save()
        else:
            moved = model.objects.filter(pk=current.pk, status=current.status).update(**changes)
            if moved != 1:
                raise Conflict(_("该事项已被他人处理，请刷新后查看。"))
            for field, value in changes.items():
                setattr(current, field, value)
        event = {"action": step.action, "from_status": old, "to_status": step.target, "actor": user,
                 "note": _event_note(move, step)}
        if kind == "request":
            event_model.objects.create(request=current, unit=current.unit or "", due_date=current.due_date, **event)
        else:
            if step.action == RequestAction.ROUTE:
                event["note"] = _("责任单位：%(unit)s；完成期限：%(due)s") % {
                    "unit": current.get_unit_display(), "due": current.due_date.isoformat()} + (
                    "。" + event["note"] if event["note"] else "")
            event_model.objects.create(decision=current, **event)
        for notice in step.notices:
            notice(move)
    if current is not item:
        for field in changes:
            setattr(item, field, getattr(current, field))
        if kind == "request":
            item.__dict__.pop("_prefetched_objects_cache", None)
    return item


def _event_note(move, step):
    if step.action == RequestAction.ANSWER:
        return move.answer.strip() + ("\n" + move.note if move.note else "")
    return move.note


# --- Due dates: overdue and closed on time ---------------------------------------------------------

def is_overdue(item, today=None):
    """Routed (or reopened) and past its due date; once answered it is no longer overdue (answering
    late shows as not closed on time instead)."""
    today = today or timezone.localdate()
    return item.status == RequestStatus.ROUTED and item.due_date is not None and item.due_date < today


def overdue_q(today=None):
    """The same rule as a filter, for querysets of requests or decisions."""
    return Q(status=RequestStatus.ROUTED, due_date__lt=today or timezone.localdate())


def closed_on_time(item):
    """Closed, and its (last) answer came on or before the due date."""
    if item.status != RequestStatus.CLOSED or item.answered_at is None or item.due_date is None:
        return False
    return timezone.localdate(item.answered_at) <= item.due_date


def closed_on_time_q():
    """The same rule as a filter (the town assessment counts requests closed on time by town)."""
    return Q(status=RequestStatus.CLOSED, due_date__isnull=False, answered_at__date__lte=F("due_date"))


# --- Reach: which requests and tasks a user sees --------------------------------------------------

def requests_for(user):
    """Requests a user sees: the firm its own, a town officer its town's, a unit officer those routed to
    its unit (no others), staff and leaders all."""
    qs = ServiceRequest.objects.visible_to(user)
    if role_of(user) == Role.MEMBER_UNIT:
        unit = unit_of_user(user)
        qs = qs.filter(unit=unit) if unit else qs.none()
    return qs


def tasks_for(user):
    """Decisions that are tasks: a unit officer sees its unit's; staff, leaders and admins all; other
    roles none."""
    qs = Decision.objects.exclude(status="").exclude(unit="")
    role = role_of(user)
    if role == Role.MEMBER_UNIT:
        unit = unit_of_user(user)
        return qs.filter(unit=unit) if unit else qs.none()
    if role in (*STAFF_ROLES, Role.LEADER):
        return qs
    return qs.none()
