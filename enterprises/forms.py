from django import forms
from django.utils.translation import gettext_lazy as _

from jinhu_portal.forms import CrispyMixin, DateInput, ParentBoundForm

from .models import Enterprise, FiscalYearRecord
from .permissions import writable_fields


class FieldPermissionFormMixin:
    """Offers only the fields the user's role may write (enterprises/permissions.py). A ModelForm
    saves only its own fields, so a forged POST of a field not offered changes nothing. Views always
    pass `user`; without one (tests, the shell) the form has every field of its Meta."""

    # Shown above the form when some fields are left out for the user's role.
    restricted_note = ""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.withheld_fields = []
        if user is not None:
            allowed = writable_fields(user, self._meta.model)
            self.withheld_fields = [name for name in self.fields if name not in allowed]
            for name in self.withheld_fields:
                del self.fields[name]
        self.permission_note = self.restricted_note if self.withheld_fields else ""


class EnterpriseForm(FieldPermissionFormMixin, CrispyMixin, forms.ModelForm):
    restricted_note = _("企业名称、统一社会信用代码、所属镇（街道、开发区）、同期同行业利润率和政企联络员由县工信局修改；"
                        "企业类别、产业标签、成立日期、从业年限、高新技术企业证书、自主品牌等认定所用的信息，"
                        "请在申报的“基本信息”步骤中更新，审核通过后生效。")

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "town", "category", "industry_tags", "registered_province",
                  "independent_legal_person", "address", "founding_date", "main_business",
                  "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                  "high_tech_valid_from", "high_tech_valid_until", "own_brand", "industry_average_margin",
                  "contact_person", "contact_phone", "liaison_officer"]
        widgets = {
            "founding_date": DateInput(),
            "high_tech_valid_from": DateInput(),
            "high_tech_valid_until": DateInput(),
            "industry_tags": forms.CheckboxSelectMultiple,
        }

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


class FiscalYearForm(FieldPermissionFormMixin, ParentBoundForm):
    parent_field = "enterprise"

    class Meta:
        model = FiscalYearRecord
        fields = ["year", *FiscalYearRecord.FIGURES]
