"""The review workflow as a table of states and transitions, each with the roles allowed and the
effects it has (after Hypha): a transition names its guards, the fields it stamps, what it does to
the firm's records and the pool, and whom it tells, so `perform` has no branch on a transition's name.

Every transition is atomic, writes one event, and exactly one of two reviewers acting at once wins:
the row is locked and its status re-checked inside the transaction, and the status changes by a
conditional UPDATE (on SQLite, transactions begin IMMEDIATE, so the second reviewer waits for the
first to commit and then finds the declaration already moved).
"""
import datetime
from dataclasses import dataclass
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.notify import notify, notify_enterprise
from enterprises.signals import mark_stale
from jinhu_portal.roles import GROUP_NAMES, Role, role_of

from . import codec
from .declaring import admit, in_pool, refresh_score
from .models import Declaration, DeclarationEvent, RoundKind, Status

REVIEWERS = {Role.TOWN_OFFICER, Role.STAFF, Role.ADMIN}
COUNTY = {Role.STAFF, Role.ADMIN}


@dataclass
class Move:
    """One transition under way: what the guards, stamps, effects and notices see."""

    declaration: Declaration
    user: object
    reason: str
    fields: list
    today: datetime.date
    now: datetime.datetime


# Guards: checks on the locked declaration before it moves; each raises ValidationError.

def round_is_open(move):
    round_ = move.declaration.round
    if not round_.is_open(move.today):
        raise ValidationError(_("本批次申报已于%(date)s截止，不能再提交。") % {"date": round_.closes_on})


def not_in_pool_yet(move):
    """An admission round admits a firm once: one already in the pool cannot come in again."""
    if move.declaration.round.kind == RoundKind.ADMISSION and in_pool(move.declaration.enterprise_id):
        raise ValidationError(_("该企业已在培育库中，无需重复入库。"))


# Stamps: the fields a transition writes together with the new status.

def freeze(move):
    """Score the declared data once more and keep it as submitted."""
    refresh_score(move.declaration)
    return {"snapshot": move.declaration.data, "submitted_at": move.now, "return_reason": "", "return_fields": []}


def note_return(move):
    return {"return_reason": move.reason, "return_fields": list(move.fields)}


def decided(move):
    return {"decided_at": move.now}


# Effects: run in the transaction once the declaration has moved.

def write_records(move):
    """The approved data goes to the firm's records; what it touched is marked stale: the fiscal years
    written, or every year (no year) when more than figures changed."""
    declaration = move.declaration
    years, others = codec.to_records(declaration.snapshot or declaration.data, declaration.enterprise,
                                     move.user, declaration.round.year)
    if others or years:
        mark_stale({declaration.enterprise_id}, set() if others else years)


def admit_to_pool(move):
    if move.declaration.round.kind == RoundKind.ADMISSION:
        admit(move.declaration.enterprise, move.declaration)


# Notices: whom a transition tells, once its transaction is done.

def tell_reviewers(move):
    """The town officers of the firm's town and the county staff: a declaration waits for them."""
    declaration = move.declaration
    users = (get_user_model().objects.filter(is_active=True)
             .filter(Q(groups__name=GROUP_NAMES[Role.TOWN_OFFICER], scope__town_id=declaration.enterprise.town_id)
                     | Q(groups__name=GROUP_NAMES[Role.STAFF]))
             .distinct().order_by("pk"))
    for user in users:
        notify(user, _("%(firm)s 提交了申报“%(round)s”，请审核。")
               % {"firm": declaration.enterprise, "round": declaration.round}, link=declaration.get_absolute_url())


@dataclass(frozen=True)
class TellFirm:
    """Tells the firm's users what became of their declaration: `message` with the round and the reason."""

    message: str
    __name__: ClassVar[str] = "tell_firm"

    def __call__(self, move):
        declaration = move.declaration
        notify_enterprise(declaration.enterprise,
                          str(self.message) % {"round": declaration.round, "reason": move.reason},
                          link=declaration.get_absolute_url())


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    roles: frozenset
    needs_reason: bool = False
    guards: tuple = ()
    stamps: tuple = ()
    effects: tuple = ()
    notices: tuple = ()


TRANSITIONS = {t.name: t for t in [
    Transition("submit", gettext_lazy("提交申报"), (Status.DRAFT, Status.RETURNED), Status.SUBMITTED,
               frozenset({Role.ENTERPRISE}), guards=(round_is_open, not_in_pool_yet), stamps=(freeze,),
               notices=(tell_reviewers,)),
    Transition("town_approve", gettext_lazy("初审通过"), (Status.SUBMITTED,), Status.TOWN_APPROVED,
               frozenset(REVIEWERS)),
    Transition("approve", gettext_lazy("审核通过"), (Status.TOWN_APPROVED,), Status.APPROVED, frozenset(COUNTY),
               guards=(not_in_pool_yet,), stamps=(decided,), effects=(write_records, admit_to_pool),
               notices=(TellFirm(gettext_lazy("您的申报“%(round)s”已审核通过。")),)),
    Transition("return", gettext_lazy("退回修改"), (Status.SUBMITTED, Status.TOWN_APPROVED), Status.RETURNED,
               frozenset(REVIEWERS), needs_reason=True, stamps=(note_return,),
               notices=(TellFirm(gettext_lazy("您的申报“%(round)s”已被退回修改：%(reason)s")),)),
    Transition("reject", gettext_lazy("不予通过"), (Status.SUBMITTED, Status.TOWN_APPROVED), Status.REJECTED,
               frozenset(COUNTY), needs_reason=True, stamps=(decided,),
               notices=(TellFirm(gettext_lazy("您的申报“%(round)s”未通过：%(reason)s")),)),
]}


class Conflict(ValidationError):
    """Someone else moved the declaration first."""


def in_scope(user, declaration):
    role = role_of(user)
    scope = getattr(user, "scope", None)
    if role == Role.ENTERPRISE:
        return bool(scope) and scope.enterprise_id == declaration.enterprise_id
    if role == Role.TOWN_OFFICER:
        return bool(scope) and scope.town_id == declaration.enterprise.town_id
    return role in (Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT)


def can(user, declaration, name):
    t = TRANSITIONS[name]
    return role_of(user) in t.roles and declaration.status in t.sources and in_scope(user, declaration)


def available(user, declaration):
    return [t for name, t in TRANSITIONS.items() if can(user, declaration, name)]


def perform(declaration_id, name, user, reason="", fields=(), today=None):
    """Run one transition; returns the declaration after it. Raises Conflict, PermissionDenied or
    ValidationError with a Chinese message; nothing changes unless everything succeeds."""
    t = TRANSITIONS[name]
    with transaction.atomic():
        declaration = (Declaration.objects.select_for_update().select_related("round", "enterprise")
                       .get(pk=declaration_id))
        if role_of(user) not in t.roles or not in_scope(user, declaration):
            raise PermissionDenied
        if declaration.status not in t.sources:
            raise Conflict(_("该申报当前状态为“%(status)s”，不能“%(action)s”：可能已被他人处理，请刷新后查看。")
                           % {"status": declaration.get_status_display(), "action": t.label})
        if t.needs_reason and not reason.strip():
            raise ValidationError({"reason": _("“%(action)s”必须填写原因。") % {"action": t.label}})
        move = Move(declaration, user, reason.strip(), list(fields), today or timezone.localdate(),
                    timezone.now())
        for guard in t.guards:
            guard(move)
        changes = {"status": t.target, "updated_at": move.now}
        for stamp in t.stamps:
            changes.update(stamp(move))
        # The conditional update is the guard that makes two concurrent reviewers safe on every database.
        moved = Declaration.objects.filter(pk=declaration.pk, status=declaration.status).update(**changes)
        if moved != 1:
            raise Conflict(_("该申报已被他人处理，请刷新后查看。"))
        DeclarationEvent.objects.create(declaration=declaration, action=name, from_status=declaration.status,
                                        to_status=t.target, actor=user, reason=move.reason, fields=move.fields)
        declaration.refresh_from_db()
        for effect in t.effects:
            effect(move)
    for notice in t.notices:
        notice(move)
    return declaration
