"""Staff edit the plan without code: a target (its goal, units, counting), a new plan period copying
an earlier one's targets and weights, and the town assessment's weights. Every check is the model's
(`Target.clean` asks the counter about its params; `PlanPeriod.clean` refuses overlapping years),
so the admin and these pages refuse the same things with the same Chinese messages."""
import json

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enterprises.models.choices import MemberUnit
from jinhu_portal.forms import CrispyMixin

from .counting import COUNTER_CHOICES
from .models import AssessmentIndicator, AssessmentWeight, PlanPeriod, Target


class ParamsField(forms.JSONField):
    default_error_messages = {"invalid": _("统计参数须为有效的 JSON，如 {\"kinds\": [\"city_giant\"], \"min_level\": \"city\"}。")}

    def prepare_value(self, value):
        # Chinese labels stay readable in the textarea instead of \uXXXX escapes.
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False)


class TargetForm(CrispyMixin, forms.ModelForm):
    responsible = forms.MultipleChoiceField(label=_("责任单位"), choices=MemberUnit.choices,
                                            widget=forms.CheckboxSelectMultiple, required=False)
    counter = forms.ChoiceField(label=_("统计口径"), choices=COUNTER_CHOICES,
                                help_text=_("统计数值所依据的记录；数值与其下钻列表的行数始终一致"))
    params = ParamsField(label=_("统计参数"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                         help_text=_("JSON 对象。认定类：kinds（认定类型列表，必填）、min_level（最低级别）；"
                                     "研发机构：min_level；标准：levels、roles；其他口径留空 {}。"))

    class Meta:
        model = Target
        fields = ["code", "name", "kind", "floor", "ceiling", "unit", "responsible", "counter", "params", "order"]

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period is not None:
            self.instance.period = period
        if self.instance.pk:
            # A target's code is what the API and other systems read: fixed once made.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("目标代码供接口和其他系统引用，创建后不可修改")
        self.fields["params"].initial = {}

    def clean_params(self):
        value = self.cleaned_data.get("params")
        return {} if value in (None, "") else value

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("period")           # so "该规划期已有同代码的目标" is checked
        return exclude


class PeriodForm(CrispyMixin, forms.ModelForm):
    copy_from = forms.ModelChoiceField(label=_("复制目标自"), queryset=PlanPeriod.objects.all(), required=False,
                                       empty_label=_("不复制（之后逐个添加目标）"),
                                       help_text=_("复制所选规划期的全部目标和考核权重，之后可逐个修改"))
    submit_label = _("创建规划期")

    class Meta:
        model = PlanPeriod
        fields = ["code", "name", "document", "start_year", "end_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = PlanPeriod.objects.order_by("-start_year").first()
        if latest and not self.is_bound:
            span = latest.end_year - latest.start_year
            start = latest.end_year + 1
            self.initial.update({"code": f"{start}-{start + span}", "name": latest.name, "start_year": start,
                                 "end_year": start + span, "copy_from": latest.pk})

    def clean(self):
        cleaned = super().clean()
        for name in ("start_year", "end_year"):
            year = cleaned.get(name)
            if year is not None and not 2000 <= year <= 2100:
                self.add_error(name, _("年度须在 2000 至 2100 之间。"))
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        period = super().save()
        source = self.cleaned_data.get("copy_from")
        if source is not None:
            for t in source.targets.all():
                Target.objects.create(period=period, code=t.code, name=t.name, kind=t.kind, floor=t.floor,
                                      ceiling=t.ceiling, unit=t.unit, responsible=list(t.responsible),
                                      counter=t.counter, params=dict(t.params or {}), order=t.order)
            for w in source.weights.all():
                AssessmentWeight.objects.create(period=period, indicator=w.indicator, weight=w.weight)
        return period


class WeightsForm(CrispyMixin, forms.Form):
    """One weight (分/项) per assessment indicator of a plan period."""

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        stored = {w.indicator: w.weight for w in period.weights.all()}
        for indicator in AssessmentIndicator:
            self.fields[indicator.value] = forms.DecimalField(
                label=indicator.label, max_digits=6, decimal_places=2, min_value=0, max_value=9999,
                initial=stored.get(indicator.value, 0),
                error_messages={"required": _("请填写权重，不计分的指标填 0。"),
                                "invalid": _("权重须为数字，如 1 或 0.5。")})

    @transaction.atomic
    def save(self):
        for indicator in AssessmentIndicator:
            AssessmentWeight.objects.update_or_create(period=self.period, indicator=indicator.value,
                                                      defaults={"weight": self.cleaned_data[indicator.value]})
