"""Forms of the cultivation plans and of the tracking officer (staff only)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import Tier
from enterprises.models import Enterprise, PoolStatus
from jinhu_portal.forms import CrispyMixin
from jinhu_portal.templatetags.portal_format import person_name

from .models import ItemStatus, PlanItem
from .plans import check_due_date, end_of_year, staff_users

# A pool firm is in the county pool already: plans aim at the tiers above it.
TARGET_TIERS = [(value, label) for value, label in Tier.choices if value != Tier.COUNTY_POOL]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PlanCreateForm(CrispyMixin, forms.Form):
    submit_label = _("生成培育计划")

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(),
                                        error_messages={"invalid_choice": _("只能为培育库内企业制定培育计划。")})
    tier = forms.ChoiceField(label=_("目标层级"), choices=TARGET_TIERS)
    due_date = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("各事项的默认完成期限，默认为今年年底"))
    title = forms.CharField(label=_("名称"), max_length=100, required=False,
                            help_text=_("可留空，默认为“企业名称 · 目标层级”"))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("due_date", end_of_year())
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (Enterprise.objects.visible_to(user)
                                              .filter(pool_status=PoolStatus.IN_POOL).order_by("name"))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        check_due_date(due, timezone.localdate())
        return due


class PlanItemForm(CrispyMixin, forms.ModelForm):
    """Edit an item or add one by hand: its words, action, unit, owner, due date and status."""

    class Meta:
        model = PlanItem
        fields = ["gap_text", "action", "responsible_unit", "owner", "due_date", "status", "note"]
        labels = {"gap_text": _("事项（差距说明）")}
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "action": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"owner": PersonChoiceField}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["gap_text"].required = True
        self.fields["owner"].queryset = staff_users()
        statuses = [ItemStatus.OPEN, ItemStatus.DONE] + ([ItemStatus.MET] if self.instance.status == ItemStatus.MET
                                                         else [])
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        check_due_date(due, self.plan.created_on)
        return due

    def save(self, commit=True):
        item = super().save(commit=False)
        if item.status == ItemStatus.OPEN:
            item.closed_on = None
        elif item.closed_on is None:
            item.closed_on = timezone.localdate()
        if commit:
            item.save()
        return item


class ItemDoneForm(forms.Form):
    note = forms.CharField(label=_("完成说明"), max_length=500, widget=forms.TextInput(),
                           error_messages={"required": _("请填写完成说明。")})

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("请填写完成说明。"))
        return note


class TrackingForm(CrispyMixin, forms.ModelForm):
    """专人跟踪: the staff member tracking a pool firm and its 政企联络员."""

    submit_label = _("保存跟踪责任人")

    class Meta:
        model = Enterprise
        fields = ["tracking_officer", "liaison_officer"]
        field_classes = {"tracking_officer": PersonChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_officer"].queryset = staff_users()
