"""Judgment criteria (J): staff decide met / not met with a reason; a firm may only claim."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.models.scoping import Scoped

from .editions import Tier


def evidence_path(instance, filename):
    # Non-guessable, outside the static root; the original name is kept in the row, not the path.
    return f"evidence/{uuid.uuid4().hex}"


class StaffJudgment(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="judgments",
                                   verbose_name=_("企业"))
    tier = models.CharField(_("层级"), max_length=30, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    code = models.CharField(_("条目代码"), max_length=10)
    product = models.CharField(_("产品"), max_length=100, blank=True, help_text=_("产品层级的判断填写产品名称"))
    met = models.BooleanField(_("是否符合"))
    reason = models.TextField(_("理由"))
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   verbose_name=_("判断人"))
    decided_at = models.DateTimeField(_("判断时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工判断")
        verbose_name_plural = _("人工判断")
        constraints = [models.UniqueConstraint(
            fields=["enterprise", "tier", "year", "code", "product"], name="uniq_judgment",
            violation_error_message=_("该企业该条目本年度已有判断，请修改原判断。"))]

    def __str__(self):
        return f"{self.enterprise} {self.tier}.{self.code} {'符合' if self.met else '不符合'}"

    @property
    def key(self):
        base = f"{self.tier}.{self.code}"
        return f"{base}@{self.product}" if self.product else base


class Claim(Scoped):
    """A firm's own statement that it meets a judgment criterion: needs review until staff decide."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims",
                                   verbose_name=_("企业"))
    tier = models.CharField(_("层级"), max_length=30, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    code = models.CharField(_("条目代码"), max_length=10)
    statement = models.TextField(_("情况说明"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业自评声明")
        verbose_name_plural = _("企业自评声明")
        constraints = [models.UniqueConstraint(fields=["enterprise", "tier", "year", "code"], name="uniq_claim",
                                               violation_error_message=_("该条目已声明。"))]

    @property
    def key(self):
        return f"{self.tier}.{self.code}"
