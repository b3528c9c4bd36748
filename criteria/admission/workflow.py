"""The review workflow as a table of states and transitions, each with the roles allowed
(after Hypha). Every transition is atomic, writes one event, and exactly one of two reviewers
acting at once wins: the row is locked and its status re-checked inside the transaction."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.notify import notify, notify_enterprise
from jinhu_portal.roles import Role, role_of

from .models import Declaration, DeclarationEvent, Status

REVIEWERS = {Role.TOWN_OFFICER, Role.STAFF, Role.ADMIN}
COUNTY = {Role.STAFF, Role.ADMIN}


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    roles: frozenset
    needs_reason: bool = False


TRANSITIONS = {t.name: t for t in [
    Transition("submit", gettext_lazy("提交申报"), (Status.DRAFT, Status.RETURNED), Status.SUBMITTED,
               frozenset({Role.ENTERPRISE})),
    Transition("town_approve", gettext_lazy("初审通过"), (Status.SUBMITTED,), Status.TOWN_APPROVED,
               frozenset(REVIEWERS)),
    Transition("approve", gettext_lazy("审核通过"), (Status.TOWN_APPROVED,), Status.APPROVED, frozenset(COUNTY)),
    Transition("return", gettext_lazy("退回修改"), (Status.SUBMITTED, Status.TOWN_APPROVED), Status.RETURNED,
               frozenset(REVIEWERS), needs_reason=True),
    Transition("reject", gettext_lazy("不予通过"), (Status.SUBMITTED, Status.TOWN_APPROVED), Status.REJECTED,
               frozenset(COUNTY), needs_reason=True),
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
    from .declaring import apply_to_records, refresh_score

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
        now = timezone.now()
        changes = {"status": t.target, "updated_at": now}
        if name == "submit":
            if not declaration.round.is_open(today):
                raise ValidationError(_("本批次申报已于%(date)s截止，不能再提交。") % {"date": declaration.round.closes_on})
            refresh_score(declaration)
            changes.update(snapshot=declaration.data, submitted_at=now, return_reason="", return_fields=[])
        elif name == "return":
            changes.update(return_reason=reason.strip(), return_fields=list(fields))
        elif name in ("approve", "reject"):
            changes["decided_at"] = now
        # The conditional update is the guard that makes two concurrent reviewers safe on every database.
        moved = Declaration.objects.filter(pk=declaration.pk, status=declaration.status).update(**changes)
        if moved != 1:
            raise Conflict(_("该申报已被他人处理，请刷新后查看。"))
        DeclarationEvent.objects.create(declaration=declaration, action=name, from_status=declaration.status,
                                        to_status=t.target, actor=user, reason=reason.strip(), fields=list(fields))
        declaration.refresh_from_db()
        if name == "approve":
            apply_to_records(declaration, user)
    _announce(declaration, name, reason)
    return declaration


def _announce(declaration, name, reason):
    messages = {
        "return": _("您的申报“%(round)s”已被退回修改：%(reason)s"),
        "approve": _("您的申报“%(round)s”已审核通过。"),
        "reject": _("您的申报“%(round)s”未通过：%(reason)s"),
    }
    if name in messages:
        notify_enterprise(declaration.enterprise, messages[name] % {"round": declaration.round, "reason": reason},
                          link=declaration.get_absolute_url())
    elif name == "submit":
        from django.contrib.auth import get_user_model

        officers = get_user_model().objects.filter(scope__town_id=declaration.enterprise.town_id, is_active=True)
        for officer in officers:
            notify(officer, _("%(firm)s 提交了申报“%(round)s”，请初审。")
                   % {"firm": declaration.enterprise, "round": declaration.round}, link=declaration.get_absolute_url())
