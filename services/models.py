"""The services the plan promises (四、保障措施): trainings now; links, visits, requests and joint
meetings join them here. Targets (`dashboards`) count these records, never a typed-in figure."""
import uuid

from django.conf import settings
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


# --- 挂钩帮扶: who is linked to which firm, and their visits -----------------------------------------

class LinkKind(models.TextChoices):
    COUNTY_LEADER = "county_leader", _("县领导")
    TOWN_LEADER = "town_leader", _("镇（街道、开发区）领导")
    DEPARTMENT = "department", _("部门")


class Link(Scoped):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_links",
                               verbose_name=_("挂钩人"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="service_links",
                                   verbose_name=_("挂钩企业"))
    kind = models.CharField(_("挂钩类型"), max_length=20, choices=LinkKind.choices)
    member_unit = models.CharField(_("所在部门"), max_length=20, choices=MemberUnit.choices, blank=True)
    starts_on = models.DateField(_("挂钩开始日期"))
    ends_on = models.DateField(_("挂钩结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise__name", "starts_on"]
        verbose_name = _("挂钩帮扶")
        verbose_name_plural = _("挂钩帮扶")

    def __str__(self):
        return f"{self.person} → {self.enterprise}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("挂钩结束日期不能早于开始日期。")})


def service_file_path(instance, filename):
    return f"services/{uuid.uuid4().hex}"


class Visit(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="visits",
                                   verbose_name=_("走访企业"))
    visited_on = models.DateField(_("走访日期"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="visits", verbose_name=_("走访人"))
    companions = models.CharField(_("同行人员"), max_length=200, blank=True)
    topics = models.CharField(_("走访主题"), max_length=200)
    notes = models.TextField(_("走访情况"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")

    def __str__(self):
        return f"{self.visited_on} {self.enterprise}"

    def clean(self):
        from django.utils import timezone

        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})


class VisitFile(Scoped):
    enterprise_path = "visit__enterprise"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="files", verbose_name=_("走访记录"))
    file = models.FileField(_("文件"), upload_to=service_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("走访照片或附件")
        verbose_name_plural = _("走访照片或附件")

    def __str__(self):
        return self.original_name


# --- 诉求: a firm's request, routed to a member unit and followed until the firm confirms it closed ----

class RequestCategory(models.TextChoices):
    FINANCING = "financing", _("融资")
    LAND = "land", _("用地")
    TALENT = "talent", _("人才")
    TECHNOLOGY = "technology", _("技术")
    MARKET = "market", _("市场")
    POLICY = "policy", _("政策")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待分办")
    ROUTED = "routed", _("办理中")
    ANSWERED = "answered", _("已答复待确认")
    CLOSED = "closed", _("已办结")


class ServiceRequest(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="service_requests",
                                   verbose_name=_("企业"))
    category = models.CharField(_("诉求类别"), max_length=20, choices=RequestCategory.choices)
    description = models.TextField(_("诉求内容"))
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.SUBMITTED)
    unit = models.CharField(_("承办单位"), max_length=20, choices=MemberUnit.choices, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("提交人"))
    filed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")

    def __str__(self):
        return f"{self.get_category_display()}：{self.description[:20]}"


class RequestAction(models.TextChoices):
    FILE = "file", _("提交诉求")
    ROUTE = "route", _("分办")
    ANSWER = "answer", _("答复")
    CONFIRM = "confirm", _("确认办结")
    REOPEN = "reopen", _("退回重办")


class RequestEvent(Scoped):
    """One step of a request, as it happened: who, when, from which state to which, and why."""

    enterprise_path = "request__enterprise"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("诉求"))
    action = models.CharField(_("操作"), max_length=10, choices=RequestAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=RequestStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    unit = models.CharField(_("承办单位"), max_length=20, choices=MemberUnit.choices, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class RequestAttachment(Scoped):
    enterprise_path = "request__enterprise"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("诉求"))
    file = models.FileField(_("文件"), upload_to=service_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")

    def __str__(self):
        return self.original_name


# --- 月度联席会议: meetings, their decisions, and the tasks decisions become ------------------------------

class Meeting(models.Model):
    date = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    attendees = models.JSONField(_("参会单位"), default=list, help_text=_("成员单位代码列表"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self):
        return f"{self.date} {self.title}"


class Decision(models.Model):
    """A decision of a meeting; with an owner unit and a due date it is a task, followed like a request
    (routed → answered → closed, or reopened)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("联席会议"))
    text = models.TextField(_("议定事项"))
    unit = models.CharField(_("责任单位"), max_length=20, choices=MemberUnit.choices, blank=True)
    due_date = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, blank=True)
    answer = models.TextField(_("办理情况"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")

    def __str__(self):
        return self.text[:30]


class DecisionEvent(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events",
                                 verbose_name=_("议定事项"))
    action = models.CharField(_("操作"), max_length=10, choices=RequestAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=RequestStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("议定事项办理记录")
        verbose_name_plural = _("议定事项办理记录")
