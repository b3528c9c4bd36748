"""The county cultivation pool: who was admitted when, who left and why, and the yearly check."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.models.scoping import Scoped

from .declarations import Declaration, Round


class PoolMembership(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="pool_memberships",
                                   verbose_name=_("企业"))
    admitted_on = models.DateField(_("入库日期"))
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("入库批次"))
    declaration = models.ForeignKey(Declaration, on_delete=models.SET_NULL, null=True, blank=True,
                                    verbose_name=_("入库申报"))
    left_on = models.DateField(_("出库日期"), null=True, blank=True)
    leave_reason = models.TextField(_("出库原因"), blank=True)

    class Meta:
        ordering = ["-admitted_on"]
        verbose_name = _("培育库入库记录")
        verbose_name_plural = _("培育库入库记录")
        constraints = [models.UniqueConstraint(fields=["enterprise"], condition=models.Q(left_on__isnull=True),
                                               name="one_active_membership",
                                               violation_error_message=_("该企业已在培育库中。"))]

    def __str__(self):
        return f"{self.enterprise} {self.admitted_on}"


class Flag(models.TextChoices):
    OK = "ok", _("仍符合入库条件")
    NOT_MEETING = "not_meeting", _("不再符合入库条件")
    INCOMPLETE = "incomplete", _("数据不全，无法判断")
    NOT_UPDATED = "not_updated", _("未按期更新数据")


class Decision(models.TextChoices):
    PENDING = "pending", _("待决定")
    KEEP = "keep", _("保留")
    MOVE_OUT = "move_out", _("移出")


class Verification(Scoped):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("批次"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="verifications",
                                   verbose_name=_("企业"))
    flag = models.CharField(_("核查结果"), max_length=20, choices=Flag.choices)
    verdict = models.CharField(_("评价结论"), max_length=15, blank=True)
    decision = models.CharField(_("决定"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("年度核查")
        verbose_name_plural = _("年度核查")
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="uniq_verification")]
