"""What leadership follows: the plan's targets as data, the town assessment's weights, the events a
bulletin reports, and the public showcase. Figures are never stored: `counting.py` counts them from
the records every time (cached, see `services.py`)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Recognition
from enterprises.models.choices import MemberUnit
from enterprises.models.scoping import Scoped

from .counting import COUNTER_CHOICES, COUNTERS


class TargetKind(models.TextChoices):
    ANNUAL = "annual", _("年度目标")
    CUMULATIVE = "cumulative", _("累计目标")


class TargetState(models.TextChoices):
    BELOW = "below", _("未达下限")
    WITHIN = "within", _("达到目标")
    ABOVE = "above", _("超过上限")


class PlanPeriod(models.Model):
    """A three-year plan (2022–2024 by 金政发〔2022〕33号); a later plan is a new row, not new code."""

    code = models.CharField(_("代码"), max_length=20, unique=True, help_text=_("如 2022-2024"))
    name = models.CharField(_("名称"), max_length=100)
    document = models.CharField(_("文件"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("截止年度"))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("规划期")
        verbose_name_plural = _("规划期")

    def __str__(self):
        return f"{self.name}（{self.start_year}—{self.end_year}年）"

    def clean(self):
        if self.start_year and self.end_year:
            if self.start_year > self.end_year:
                raise ValidationError({"end_year": _("截止年度不能早于起始年度。")})
            clash = PlanPeriod.objects.exclude(pk=self.pk).filter(start_year__lte=self.end_year,
                                                                 end_year__gte=self.start_year).first()
            if clash:
                raise ValidationError({"start_year": _("与已有规划期“%(p)s”的年度重叠。") % {"p": clash}})

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    @classmethod
    def containing(cls, year):
        return cls.objects.filter(start_year__lte=year, end_year__gte=year).first()


class Target(models.Model):
    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="targets",
                               verbose_name=_("规划期"))
    code = models.SlugField(_("代码"), max_length=50)
    name = models.CharField(_("目标名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=TargetKind.choices)
    floor = models.PositiveIntegerField(_("目标下限"),
                                        help_text=_("“超过N”的目标填 N+1；只有一个目标值时填该值"))
    ceiling = models.PositiveIntegerField(_("目标上限"), null=True, blank=True, help_text=_("无上限的留空"))
    unit = models.CharField(_("单位"), max_length=10, default="家")
    responsible = models.JSONField(_("责任单位"), default=list, help_text=_("成员单位代码列表"))
    counter = models.CharField(_("统计口径"), max_length=40, choices=COUNTER_CHOICES)
    params = models.JSONField(_("统计参数"), default=dict, blank=True,
                              help_text=_("如认定类型 kinds、最低级别 min_level"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["period", "order", "code"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="uniq_target_per_period",
                                               violation_error_message=_("该规划期已有同代码的目标。"))]

    def __str__(self):
        return self.name

    def clean(self):
        if self.ceiling is not None and self.floor is not None and self.ceiling < self.floor:
            raise ValidationError({"ceiling": _("目标上限不能小于目标下限。")})
        units = set(MemberUnit.values)
        if not isinstance(self.responsible, list) or any(u not in units for u in self.responsible):
            raise ValidationError({"responsible": _("责任单位须从成员单位中选择。")})
        counter = COUNTERS.get(self.counter)
        if counter:
            try:
                counter.check_params(self.params or {})
            except ValueError as exc:
                raise ValidationError({"params": str(exc)}) from exc

    def years_counted(self, year):
        """The years whose records make the figure of `year`: that year alone, or the period up to it."""
        if self.kind == TargetKind.ANNUAL:
            return range(year, year + 1)
        return range(self.period.start_year, year + 1)

    def state(self, figure):
        if figure < self.floor:
            return TargetState.BELOW
        if self.ceiling is not None and figure > self.ceiling:
            return TargetState.ABOVE
        return TargetState.WITHIN

    @property
    def responsible_labels(self):
        labels = dict(MemberUnit.choices)
        return [str(labels.get(code, code)) for code in self.responsible]

    @property
    def goal_text(self):
        """How a leader reads the goal: 8–15家, ≥151人, 20个."""
        if self.ceiling is None:
            return f"≥{self.floor}{self.unit}"
        if self.ceiling == self.floor:
            return f"{self.floor}{self.unit}"
        return f"{self.floor}–{self.ceiling}{self.unit}"


class AssessmentIndicator(models.TextChoices):
    """What a town is assessed on (专项考核); services' indicators count once issue 11 lands."""

    POOL_FIRMS = "pool_firms", _("在库培育企业数")
    NEW_ADMISSIONS = "new_admissions", _("当年新入库企业数")
    NEW_TITLES = "new_titles", _("当年新获认定数")
    PLAN_ITEMS_ON_TIME = "plan_items_on_time", _("按期完成的培育计划事项数")
    VISITS = "visits", _("走访次数")
    REQUESTS_CLOSED_ON_TIME = "requests_closed_on_time", _("按期办结的诉求数")


class AssessmentWeight(models.Model):
    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="weights",
                               verbose_name=_("规划期"))
    indicator = models.CharField(_("考核指标"), max_length=30, choices=AssessmentIndicator.choices)
    weight = models.DecimalField(_("权重（分/项）"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["period", "indicator"]
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        constraints = [models.UniqueConstraint(fields=["period", "indicator"], name="uniq_weight_per_period",
                                               violation_error_message=_("该规划期已设置此指标的权重。"))]

    def __str__(self):
        return f"{self.get_indicator_display()} × {self.weight}"


class NotableEvent(models.Model):
    """An event staff pick for a quarter's bulletin (重要事项)."""

    date = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    detail = models.TextField(_("说明"), blank=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("相关企业"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("重要事项")
        verbose_name_plural = _("重要事项")

    def __str__(self):
        return f"{self.date} {self.title}"

    @property
    def quarter(self):
        return (self.date.month - 1) // 3 + 1


def showcase_picture_path(instance, filename):
    return f"showcase/{instance.enterprise_id}/{filename}"


class ShowcaseEntry(Scoped):
    """典型宣传: a case staff write about a recognised firm; public once published."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="showcase_entries",
                                   verbose_name=_("企业"))
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="showcase_entries",
                                    verbose_name=_("认定荣誉"))
    title = models.CharField(_("标题"), max_length=100)
    case_text = models.TextField(_("典型案例"))
    picture = models.ImageField(_("图片"), upload_to=showcase_picture_path, blank=True)
    picture_caption = models.CharField(_("图片说明"), max_length=100, blank=True)
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-recognition__year", "enterprise__name"]
        verbose_name = _("典型宣传")
        verbose_name_plural = _("典型宣传")

    def __str__(self):
        return self.title

    def clean(self):
        if self.recognition_id and self.enterprise_id and self.recognition.enterprise_id != self.enterprise_id:
            raise ValidationError({"recognition": _("所选认定荣誉不属于该企业。")})
