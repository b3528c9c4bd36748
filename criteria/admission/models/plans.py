"""Cultivation plans (分类辅导，一企一策): for a pool firm and the tier it aims at, one item per rule it
does not yet meet, with an action, a responsible unit, an owner and a due date."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from criteria.models.editions import Tier
from enterprises.models import Enterprise, MemberUnit
from enterprises.models.scoping import Scoped


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("实施中")
    CLOSED = "closed", _("已结束")


class CultivationPlan(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cultivation_plans",
                                   verbose_name=_("企业"))
    tier = models.CharField(_("目标层级"), max_length=30, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"), help_text=_("生成计划时依据的会计年度"))
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    title = models.CharField(_("名称"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("制定人"))
    created_on = models.DateField(_("制定日期"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["enterprise__name", "tier"]
        verbose_name = _("培育计划")
        verbose_name_plural = _("培育计划")
        constraints = [models.UniqueConstraint(
            fields=["enterprise", "tier"], condition=models.Q(status="active"), name="one_active_plan_per_tier",
            violation_error_message=_("该企业对这一层级已有实施中的培育计划。"))]

    def __str__(self):
        return self.title or f"{self.enterprise} · {self.get_tier_display()}"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("未完成")
    DONE = "done", _("已完成")
    MET = "met", _("已达标（自动关闭）")


class PlanItem(Scoped):
    enterprise_path = "plan__enterprise"

    plan = models.ForeignKey(CultivationPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("培育计划"))
    code = models.CharField(_("条目代码"), max_length=10, blank=True, help_text=_("对应认定标准的条目；自定义事项可留空"))
    variant = models.CharField(_("类别"), max_length=5, blank=True)
    rule_text = models.TextField(_("条文"), blank=True)
    result = models.CharField(_("生成时结果"), max_length=15, blank=True)
    # the gap as numbers (results are numbers first); gap_text is its words for people
    actual = models.DecimalField(_("实际值"), max_digits=16, decimal_places=4, null=True, blank=True)
    threshold = models.DecimalField(_("阈值"), max_digits=16, decimal_places=4, null=True, blank=True)
    gap = models.DecimalField(_("差距"), max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    gap_text = models.CharField(_("差距说明"), max_length=300, blank=True)
    action = models.TextField(_("建议措施"), blank=True)
    responsible_unit = models.CharField(_("责任单位"), max_length=20, choices=MemberUnit.choices, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="plan_items", verbose_name=_("责任人"))
    due_date = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("完成说明"), blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("培育计划事项")
        verbose_name_plural = _("培育计划事项")

    def __str__(self):
        return f"{self.code} {self.gap_text}".strip()


class PlanProgress(Scoped):
    """The firm's distance to the plan's tier after each evaluation, so a plan shows it over time."""

    enterprise_path = "plan__enterprise"

    plan = models.ForeignKey(CultivationPlan, on_delete=models.CASCADE, related_name="progress",
                             verbose_name=_("培育计划"))
    evaluated_at = models.DateTimeField(_("评价时间"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    met = models.PositiveSmallIntegerField(_("符合条数"), default=0)
    missed = models.PositiveSmallIntegerField(_("不符合条数"), default=0)
    open = models.PositiveSmallIntegerField(_("待定条数"), default=0)
    items_done = models.PositiveSmallIntegerField(_("已完成事项"), default=0)
    items_total = models.PositiveSmallIntegerField(_("事项总数"), default=0)

    class Meta:
        ordering = ["plan", "evaluated_at"]
        verbose_name = _("培育进度")
        verbose_name_plural = _("培育进度")
