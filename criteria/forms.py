from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jinhu_portal.forms import CrispyMixin, ParentBoundForm

from . import engine
from .models import Condition, Criterion, Edition, StaffJudgment, Tier

METRIC_CHOICES = [(code, f"{spec['label']}（{code}）") for code, spec in engine.METRICS.items()]
OPERATOR_CHOICES = [("", _("（无：是否类/判断类）"))] + [(op, f"{op} {label}") for op, label in engine.OPERATORS.items()]


class CloneForm(CrispyMixin, forms.Form):
    submit_label = _("复制为新版本")
    year = forms.IntegerField(label=_("新版本年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, edition, **kwargs):
        self.edition = edition
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Edition.objects.filter(tier=self.edition.tier, year=year, status="draft").exists():
            raise ValidationError(_("%(year)s年已有该层级的草稿版本，请直接编辑。"), params={"year": year})
        return year


class CriterionForm(ParentBoundForm):
    parent_field = "edition"

    class Meta:
        model = Criterion
        fields = ["code", "text", "variant", "scope", "order", "overridable", "reading"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "reading": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []


class ConditionForm(forms.ModelForm):
    operator = forms.ChoiceField(label=_("比较"), choices=OPERATOR_CHOICES, required=False, error_messages={
        "invalid_choice": _("比较符“%(value)s”无效，可用：") + "、".join(engine.OPERATORS)})
    metric = forms.ChoiceField(label=_("指标"), choices=METRIC_CHOICES, error_messages={
        "invalid_choice": _("指标“%(value)s”不存在。")})

    class Meta:
        model = Condition
        fields = ["group", "label", "metric", "operator", "threshold", "unit", "params"]
        widgets = {"params": forms.TextInput()}


ConditionFormSet = forms.inlineformset_factory(Criterion, Condition, form=ConditionForm, extra=1, can_delete=True)


class JudgmentForm(CrispyMixin, forms.ModelForm):
    submit_label = _("保存判断")
    met = forms.TypedChoiceField(label=_("判断结论"), choices=[("1", _("符合")), ("0", _("不符合"))],
                                 coerce=lambda v: v == "1", widget=forms.RadioSelect)

    class Meta:
        model = StaffJudgment
        fields = ["tier", "year", "code", "product", "met", "reason", "evidence"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "tier": forms.HiddenInput,
                   "year": forms.HiddenInput, "code": forms.HiddenInput, "product": forms.HiddenInput}

    def clean_evidence(self):
        from .uploads import check_evidence

        f = self.cleaned_data.get("evidence")
        if f and hasattr(f, "content_type"):
            check_evidence(f)
        return f


class RunForm(CrispyMixin, forms.Form):
    submit_label = _("开始评价")
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    tiers = forms.MultipleChoiceField(label=_("层级（不选则全部）"), choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
