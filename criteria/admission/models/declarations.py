"""Declaration rounds, the firms' declarations, their review history and evidence files.

A declaration holds what the firm declares in the self-assessment vocabulary (see
docs/spec/self-assessment-api.md), so the engine scores it directly and nothing is typed twice.
The firm's stored records change only when staff approve.
"""
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.models.scoping import Scoped

from criteria.models.editions import Edition, Tier


class RoundKind(models.TextChoices):
    ADMISSION = "admission", _("县级培育库入库申报")
    DATA_UPDATE = "data_update", _("年度数据更新（动态核查）")
    RECOMMENDATION = "recommendation", _("推荐申报")


class Round(models.Model):
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=RoundKind.choices)
    tier = models.CharField(_("层级"), max_length=30, choices=Tier.choices, default=Tier.COUNTY_POOL)
    year = models.PositiveSmallIntegerField(_("评价年度"), help_text=_("上一完整会计年度"))
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, verbose_name=_("所用标准版本"))
    notice = models.TextField(_("申报通知"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    reminded = models.BooleanField(_("已发送截止提醒"), default=False)
    verified = models.BooleanField(_("已完成核查比对"), default=False)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="round_closes_after_opening",
                                              violation_error_message=_("截止日期不能早于开始日期。"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("criteria:round_detail", args=[self.pk])

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None):
        return (today or timezone.localdate()) > self.closes_on

    @property
    def years(self):
        """The fiscal years a declaration must cover: the widest window any rule of the edition reads."""
        widest = 1
        for criterion in self.edition.criteria.all():
            for condition in criterion.conditions.all():
                window = int((condition.params or {}).get("window") or 1)
                growth = "growth" in condition.metric
                widest = max(widest, window + 1 if growth else window)
        return list(range(self.year - widest + 1, self.year + 1))


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待乡镇初审")
    TOWN_APPROVED = "town_approved", _("乡镇初审通过，待县级审核")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未通过")


OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.TOWN_APPROVED, Status.RETURNED)


class Declaration(Scoped):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("批次"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="declarations",
                                   verbose_name=_("企业"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    data = models.JSONField(_("申报数据"), default=dict)
    snapshot = models.JSONField(_("提交时的数据快照"), null=True, blank=True)
    verdict = models.CharField(_("评价结论"), max_length=15, blank=True)
    met = models.PositiveSmallIntegerField(_("符合条数"), default=0)
    missed = models.PositiveSmallIntegerField(_("不符合条数"), default=0)
    return_reason = models.TextField(_("退回原因"), blank=True)
    return_fields = models.JSONField(_("需修改的项目"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("填报人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        constraints = [models.UniqueConstraint(
            fields=["round", "enterprise"], name="one_declaration_per_round",
            violation_error_message=_("本企业在该批次已有申报，请继续填写原申报。"))]

    def __str__(self):
        return f"{self.enterprise} · {self.round}"

    def get_absolute_url(self):
        return reverse("criteria:declaration_detail", args=[self.pk])

    @property
    def editable(self):
        return self.status in (Status.DRAFT, Status.RETURNED)


class DeclarationEvent(Scoped):
    enterprise_path = "declaration__enterprise"

    """One entry per transition: who moved the declaration from what to what, and why."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events",
                                    verbose_name=_("申报"))
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("原因"), blank=True)
    fields = models.JSONField(_("涉及项目"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")


def attachment_path(instance, filename):
    return f"declarations/{uuid.uuid4().hex}"


class Attachment(Scoped):
    enterprise_path = "declaration__enterprise"

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="attachments",
                                    verbose_name=_("申报"))
    purpose = models.CharField(_("用途"), max_length=50, blank=True, help_text=_("如佐证的条目代码"))
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("类型"), max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")

    def __str__(self):
        return self.original_name
