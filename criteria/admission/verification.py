"""Yearly re-verification of the pool (动态管理): after a data-update round closes, flag members
that no longer meet the county pool or did not update, for staff to keep or move out."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise

from criteria import engine
from .declaring import move_out
from .models import Decision, Flag, PoolMembership, RoundKind, Status, Verification
from criteria.profile import build_profiles

FLAG_OF = {engine.ELIGIBLE: Flag.OK, engine.INCOMPLETE: Flag.INCOMPLETE, engine.NOT_ELIGIBLE: Flag.NOT_MEETING}


@transaction.atomic
def verify_pool(round_, today=None):
    if round_.kind != RoundKind.DATA_UPDATE:
        raise ValidationError(_("只有“年度数据更新”批次可以进行动态核查。"))
    if not round_.is_closed(today):
        raise ValidationError(_("批次截止（%(date)s）后才能核查。") % {"date": round_.closes_on})
    members = list(PoolMembership.objects.filter(left_on__isnull=True).values_list("enterprise_id", flat=True))
    updated = set(round_.declarations.filter(status=Status.APPROVED).values_list("enterprise_id", flat=True))
    spec = round_.edition.to_spec()
    profiles = build_profiles(members, round_.year)
    rows = []
    for pk in members:
        verdict = engine.evaluate_tier(profiles[pk], spec, round_.year).verdict
        flag = FLAG_OF[verdict] if pk in updated else Flag.NOT_UPDATED
        rows.append(Verification(round=round_, enterprise_id=pk, flag=flag, verdict=verdict,
                                 decision=Decision.KEEP if flag == Flag.OK else Decision.PENDING,
                                 reason=_("仍符合入库条件，自动保留。") if flag == Flag.OK else ""))
    Verification.objects.filter(round=round_, decision=Decision.PENDING).delete()
    done = set(Verification.objects.filter(round=round_).values_list("enterprise_id", flat=True))
    Verification.objects.bulk_create(r for r in rows if r.enterprise_id not in done)
    round_.verified = True
    round_.save(update_fields=["verified"])
    return Verification.objects.filter(round=round_)


@transaction.atomic
def decide(verification, decision, reason, user):
    if decision not in (Decision.KEEP, Decision.MOVE_OUT):
        raise ValidationError({"decision": _("请选择保留或移出。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由。")})
    verification.decision, verification.reason = decision, reason.strip()
    verification.decided_by, verification.decided_at = user, timezone.now()
    verification.save()
    if decision == Decision.MOVE_OUT:
        move_out(Enterprise.objects.get(pk=verification.enterprise_id), reason.strip())
    return verification
