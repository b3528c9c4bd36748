from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from criteria.models import Edition, Tier
from jinhu_portal.forms import CrispyMixin, DateInput

from .models import Round, RoundKind


class RoundForm(CrispyMixin, forms.ModelForm):
    submit_label = _("开放申报批次")

    class Meta:
        model = Round
        fields = ["title", "kind", "tier", "year", "opens_on", "closes_on", "edition", "notice"]
        widgets = {"opens_on": DateInput(),
                   "closes_on": DateInput(),
                   "notice": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.published()

    def clean(self):
        data = super().clean()
        kind, tier, edition = data.get("kind"), data.get("tier"), data.get("edition")
        if kind in (RoundKind.ADMISSION, RoundKind.DATA_UPDATE) and tier != Tier.COUNTY_POOL:
            self.add_error("tier", _("入库申报和年度数据更新只用于县级培育库。"))
        if edition and tier and edition.tier != tier:
            self.add_error("edition", _("所选标准版本不属于该层级。"))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        return data


class VerificationForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("keep", _("保留")), ("move_out", _("移出"))])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写理由。")})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("请填写理由。"))
        return reason
