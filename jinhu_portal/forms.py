from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class CrispyMixin:
    submit_label = _("保存")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ParentBoundForm(CrispyMixin, forms.ModelForm):
    """A child row whose parent comes from the URL: the unique rules that involve the parent must
    still be checked, which Django skips for fields left out of the form."""

    parent_field = None

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        setattr(self.instance, self.parent_field, parent)

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard(self.parent_field)
        return exclude


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD): the Chinese locale's 2011/05/22
    shows as an empty picker, and saving the form would then erase the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
