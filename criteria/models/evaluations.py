"""Stored evaluations: each run keeps, per firm and tier, the verdict and one row per criterion
with the threshold used, so a later edition never rewrites history."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.models.scoping import Scoped

from .editions import Edition, Tier


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    INCOMPLETE = "incomplete", _("待补充")
    NOT_ELIGIBLE = "not_eligible", _("不符合")


class Result(models.TextChoices):
    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")
    UNKNOWN = "unknown", _("缺数据")
    NEEDS_REVIEW = "needs_review", _("待审核")


class EvaluationRun(models.Model):
    year = models.PositiveSmallIntegerField(_("评价年度"))
    editions = models.ManyToManyField(Edition, verbose_name=_("所用版本"), related_name="runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("发起人"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    firms = models.PositiveIntegerField(_("企业数"), default=0)
    counts = models.JSONField(_("结论统计"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")

    def __str__(self):
        return f"{self.year}年度评价（{self.started_at:%Y-%m-%d %H:%M}）"


class TierOutcome(Scoped):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("批次"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="tier_outcomes",
                                   verbose_name=_("企业"))
    tier = models.CharField(_("层级"), max_length=30, choices=Tier.choices)
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, verbose_name=_("版本"))
    verdict = models.CharField(_("结论"), max_length=15, choices=Verdict.choices)
    own_variant = models.CharField(_("本企业类别"), max_length=5, blank=True)
    met = models.PositiveSmallIntegerField(_("符合条数"), default=0)
    missed = models.PositiveSmallIntegerField(_("不符合条数"), default=0)
    open = models.PositiveSmallIntegerField(_("待定条数"), default=0)
    is_latest = models.BooleanField(_("最新"), default=True, db_index=True)
    # scored editions: the points the firm has for sure and could have, and how it passes
    score_sure = models.DecimalField(_("确定得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    score_best = models.DecimalField(_("最高可能得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    route = models.CharField(_("通过方式"), max_length=10, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("层级评价结果")
        verbose_name_plural = _("层级评价结果")
        indexes = [models.Index(fields=["tier", "is_latest", "missed"])]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise", "tier"], name="uniq_outcome")]


class CriterionOutcome(Scoped):
    enterprise_path = "outcome__enterprise"

    outcome = models.ForeignKey(TierOutcome, on_delete=models.CASCADE, related_name="rows", verbose_name=_("结果"))
    variant = models.CharField(_("类别"), max_length=5, blank=True)
    product = models.CharField(_("产品"), max_length=100, blank=True)
    code = models.CharField(_("代码"), max_length=20)
    text = models.TextField(_("条文"))
    result = models.CharField(_("结果"), max_length=15, choices=Result.choices)
    actual = models.CharField(_("实际值"), max_length=40, blank=True)
    threshold = models.CharField(_("阈值"), max_length=40, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    gap = models.CharField(_("差距"), max_length=40, blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["outcome", "id"]
        verbose_name = _("条目评价结果")
        verbose_name_plural = _("条目评价结果")
