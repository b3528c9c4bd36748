from django import forms

from jinhu_portal.forms import CrispyMixin, ParentBoundForm

from .models import Enterprise, FiscalYearRecord


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


class FiscalYearForm(ParentBoundForm):
    parent_field = "enterprise"

    class Meta:
        model = FiscalYearRecord
        fields = ["year", *FiscalYearRecord.FIGURES]
