"""Forms of the recommendation lists: generate, add a firm, remove one, register an outcome."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria import services
from enterprises.models import Enterprise
from jinhu_portal.forms import CrispyMixin

from .filters import LIST_TIER_CHOICES
from .models import Outcome, RecommendationEntry, Round, RoundKind
from .recommendation import DEFAULT_MAX_MISSED, next_outcomes

DATE = forms.DateInput(attrs={"type": "date"})


def _required_text(label, message, rows=2):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": message})


class GenerateForm(CrispyMixin, forms.Form):
    submit_label = _("生成名单")

    tier = forms.ChoiceField(label=_("推荐层级"), choices=LIST_TIER_CHOICES)
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100,
                              help_text=_("名单依据的会计年度，即该年度的评价结果"))
    title = forms.CharField(label=_("名称"), max_length=100, required=False,
                            help_text=_("留空则为“某年度某层级推荐名单”"))
    max_missed = forms.IntegerField(label=_("最多不符合条数"), min_value=0, max_value=20, initial=DEFAULT_MAX_MISSED,
                                    help_text=_("符合条件和待补充的企业全部列入；不符合的企业，不符合条数不超过此数才列入"))
    round = forms.ModelChoiceField(label=_("推荐申报批次"), required=False,
                                   queryset=Round.objects.filter(kind=RoundKind.RECOMMENDATION),
                                   help_text=_("可选：该批次审核通过的申报企业一并列入"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": services.default_year(), "tier": "city_giant"})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        round_, tier, year = data.get("round"), data.get("tier"), data.get("year")
        if round_ and tier and year and (round_.tier != tier or round_.year != year):
            self.add_error("round", _("所选申报批次的层级或年度与名单不一致。"))
        return data


class AddEntryForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(),
                                        error_messages={"required": _("请选择企业。"),
                                                        "invalid_choice": _("所选企业不存在。")})
    note = _required_text(_("加入说明"), _("请填写加入名单的说明。"))

    def __init__(self, *args, lst, user, **kwargs):
        super().__init__(*args, **kwargs)
        on_list = RecommendationEntry.objects.filter(recommendation_list=lst, removed=False).values("enterprise_id")
        self.fields["enterprise"].queryset = (Enterprise.objects.visible_to(user).exclude(pk__in=on_list)
                                              .order_by("name"))
        self.fields["enterprise"].widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs.update({"class": "form-control", "rows": 1})


class RemoveEntryForm(forms.Form):
    note = _required_text(_("移出说明"), _("请填写移出名单的说明。"), rows=1)


class OutcomeForm(CrispyMixin, forms.Form):
    submit_label = _("登记结果")

    outcome = forms.ChoiceField(label=_("结果"))
    on = forms.DateField(label=_("日期"), widget=DATE, error_messages={"required": _("请填写结果日期。")})
    document = forms.CharField(label=_("文号"), max_length=200, required=False,
                               help_text=_("上级认定或公布的文件及文号"))

    def __init__(self, *args, entry, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, Outcome(o).label) for o in next_outcomes(entry.outcome)]

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("结果日期不能晚于今天。"))
        return on


class RecommendAllForm(forms.Form):
    on = forms.DateField(label=_("报送日期"), widget=DATE, error_messages={"required": _("请填写报送日期。")})
    document = forms.CharField(label=_("报送文号"), max_length=200, required=False)

    def clean_document(self):
        return self.cleaned_data["document"].strip()

    def clean(self):
        data = super().clean()
        if data.get("on") and data["on"] > timezone.localdate():
            raise ValidationError(_("报送日期不能晚于今天。"))
        return data
