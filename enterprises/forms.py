from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, FiscalYearRecord


class CrispyMixin:
    submit_label = _("保存")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class EnterpriseForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "town", "category", "industry_tags", "registered_province",
                  "independent_legal_person", "address", "founding_date", "main_business",
                  "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                  "high_tech_valid_from", "high_tech_valid_until", "own_brand", "contact_person",
                  "contact_phone", "liaison_officer"]
        widgets = {
            "founding_date": forms.DateInput(attrs={"type": "date"}),
            "high_tech_valid_from": forms.DateInput(attrs={"type": "date"}),
            "high_tech_valid_until": forms.DateInput(attrs={"type": "date"}),
            "industry_tags": forms.CheckboxSelectMultiple,
        }

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


class EnterpriseBoundForm(CrispyMixin, forms.ModelForm):
    """A record of one firm: the firm comes from the URL, yet its unique rules must still be checked."""

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("enterprise")
        return exclude


class FiscalYearForm(EnterpriseBoundForm):
    class Meta:
        model = FiscalYearRecord
        fields = ["year", "operating_revenue", "main_business_revenue", "operating_profit", "total_profit",
                  "net_profit", "taxes_paid", "rd_expense", "total_assets", "total_liabilities", "employees",
                  "rd_staff", "equity_financing"]
