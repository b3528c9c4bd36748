"""The services the plan promises (四、保障措施): trainings now; links, visits, requests and joint
meetings join them here. Targets (`dashboards`) count these records, never a typed-in figure."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.models.choices import MemberUnit
from enterprises.models.scoping import Scoped


class TrainingKind(models.TextChoices):
    ENTREPRENEURS = "entrepreneurs", _("企业家")
    MANAGERS = "managers", _("中高层经营管理人才")
    SKILLED = "skilled", _("高技能人才")
    INNOVATORS = "innovators", _("创业创新人才")


class Training(models.Model):
    title = models.CharField(_("培训名称"), max_length=200)
    date = models.DateField(_("培训日期"))
    organiser = models.CharField(_("主办单位"), max_length=20, choices=MemberUnit.choices)
    kind = models.CharField(_("培训对象"), max_length=20, choices=TrainingKind.choices)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("培训活动")
        verbose_name_plural = _("培训活动")

    def __str__(self):
        return f"{self.date} {self.title}"


class Attendance(Scoped):
    """One person at one training; the same name and mobile number is the same person across trainings."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance",
                                 verbose_name=_("培训活动"))
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号码"), max_length=20)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="training_attendance", verbose_name=_("所在企业"))
    role = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        ordering = ["training", "name"]
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        constraints = [models.UniqueConstraint(fields=["training", "name", "mobile"], name="uniq_attendee",
                                               violation_error_message=_("该人员已在本次培训的名单中。"))]

    def __str__(self):
        return f"{self.name}（{self.training}）"

    def clean(self):
        mobile = (self.mobile or "").strip()
        if not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise ValidationError({"mobile": _("手机号码须为以 1 开头的 11 位数字。")})
