"""The steps of the online declaration; each form reads and writes one part of the declaration's
data (the self-assessment vocabulary), so the engine can score it as it is saved."""
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import DateField, DecimalField, IntegerField
from django.utils.translation import gettext_lazy as _

from enterprises.models import FiscalYearRecord, IndustryTag, Product, ProductRevenue
from enterprises.models.choices import Category

from criteria.uploads import check_evidence

from .codec import KINDS

STEPS = [("basic", _("基本信息")), ("financials", _("年度数据")), ("products", _("主导产品")),
         ("records", _("知识产权与其他")), ("claims", _("自评声明")), ("attachments", _("申报材料")),
         ("submit", _("确认提交"))]
STEP_NAMES = dict(STEPS)
TRI = [("", _("未填写")), ("true", _("是")), ("false", _("否"))]


class BasicForm(forms.Form):
    category = forms.ChoiceField(label=_("企业类别"), choices=[("", _("请选择"))] + list(Category.choices),
                                 required=False)
    industry_tags = forms.MultipleChoiceField(label=_("产业标签"), required=False, widget=forms.CheckboxSelectMultiple)
    registered_province = forms.CharField(label=_("注册地（省）"), required=False, max_length=20)
    independent_legal_person = forms.ChoiceField(label=_("具有独立法人资格"), choices=TRI, required=False)
    founding_date = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    years_in_niche = forms.IntegerField(label=_("从事细分市场年限"), required=False, min_value=0, max_value=200)
    years_in_field = forms.IntegerField(label=_("从事相关业务领域年限"), required=False, min_value=0, max_value=200)
    years_with_new_product = forms.IntegerField(label=_("从事新产品生产经营年限"), required=False, min_value=0,
                                                max_value=200)
    high_tech_certified = forms.ChoiceField(label=_("国家高新技术企业"), choices=TRI, required=False)
    high_tech_valid_from = forms.DateField(label=_("高新证书有效期起"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    high_tech_valid_until = forms.DateField(label=_("高新证书有效期止"), required=False,
                                            widget=forms.DateInput(attrs={"type": "date"}))
    own_brand = forms.ChoiceField(label=_("拥有自主品牌"), choices=TRI, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(set(IndustryTag.objects.values_list("name", flat=True)))
        self.fields["industry_tags"].choices = [(n, n) for n in names]

    def clean(self):
        data = super().clean()
        start, end = data.get("high_tech_valid_from"), data.get("high_tech_valid_until")
        if start and end and end < start:
            self.add_error("high_tech_valid_until", _("高新证书有效期止不能早于有效期起。"))
        return data


class CompactRowForm(forms.Form):
    """A row of a formset table: Bootstrap inputs without crispy's per-field labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control form-control-sm"
            if isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("aria-label", str(field.label or ""))


def field_from(model, name, **kwargs):
    """A form field made from a model field: its label, choices, limits and the model's own
    validators with their Chinese messages (one definition per field)."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, (IntegerField, DecimalField)) and any(
            isinstance(v, MinValueValidator) for v in model_field.validators):
        kwargs.setdefault("min_value", None)  # the model's own lower bound speaks instead
    if isinstance(model_field, DateField):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
    if isinstance(model_field, DecimalField):
        kwargs.setdefault("error_messages", {"invalid": _("%(label)s必须是数字。") % {"label": model_field.verbose_name}})
    form_field = model_field.formfield(**kwargs)
    form_field.validators.extend(v for v in model_field.validators if v not in form_field.validators)
    return form_field


class FinancialForm(CompactRowForm):
    """One year's figures; the fields are FiscalYearRecord's figures, in its order."""

    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, years=(), **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year not in self.years:
            raise ValidationError(_("年度%(year)s不在本批次要求的范围（%(years)s）内。")
                                  % {"year": year, "years": "、".join(map(str, self.years))})
        return year

    def clean(self):
        data = super().clean()
        for field, message in FiscalYearRecord.figure_errors(data).items():
            self.add_error(field, message)
        return data


class BaseYearsFormSet(forms.BaseFormSet):
    def __init__(self, *args, years=(), **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "years": self.years}

    def clean(self):
        seen = set()
        for form in self.forms:
            year = form.cleaned_data.get("year") if hasattr(form, "cleaned_data") else None
            if year in seen:
                raise ValidationError(_("年度%(year)s重复填写。") % {"year": year})
            seen.add(year)


FinancialForm.base_fields.update({name: field_from(FiscalYearRecord, name) for name in FiscalYearRecord.FIGURES})
FinancialFormSet = forms.formset_factory(FinancialForm, formset=BaseYearsFormSet, extra=0)


class ProductForm(CompactRowForm):
    name = field_from(Product, "name")
    revenue = field_from(ProductRevenue, "revenue", label=_("本年度销售收入"))
    rank_province = field_from(Product, "rank_province")
    rank_domestic = field_from(Product, "rank_domestic")
    rank_global = field_from(Product, "rank_global")
    supplies_leading_enterprise = field_from(Product, "supply_chain_customer")
    key_field = field_from(Product, "key_field")
    strategic_emerging = forms.ChoiceField(label=Product._meta.get_field("strategic_emerging").verbose_name,
                                           choices=TRI, required=False)


ProductFormSet = forms.formset_factory(ProductForm, extra=1, can_delete=True)


def record_form(kind):
    """The row form of one kind of record, named in the declaration's vocabulary."""
    fields = {}
    for key, name in kind.fields:
        model_field = kind.model_field(name)
        if model_field.is_relation:  # the leading product, by name
            fields[key] = forms.CharField(label=model_field.verbose_name, required=False,
                                          max_length=Product._meta.get_field("name").max_length)
        else:
            fields[key] = field_from(kind.model, name)
    return type(f"{kind.model.__name__}RowForm", (CompactRowForm,), fields)


RECORD_FORMSETS = {kind.key: forms.formset_factory(record_form(kind), extra=1, can_delete=True)
                   for kind in KINDS}


class ClaimsForm(forms.Form):
    claims = forms.MultipleChoiceField(label=_("本企业认为符合的判断类条目"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].choices = choices


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件（pdf、jpg、png、xlsx、docx，20MB以内）"))
    purpose = forms.CharField(label=_("用途说明"), max_length=50, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        self.kind = check_evidence(f)
        return f


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fields = forms.MultipleChoiceField(label=_("需修改的步骤"), required=False, choices=STEPS[:-1],
                                       widget=forms.CheckboxSelectMultiple)


def step_forms(step, initial, round_, post=None, files=None, claim_choices=()):
    """The bound or blank forms of one step, filled from the codec's initial values."""
    if step == "basic":
        return {"form": BasicForm(post, initial=initial["form"])}
    if step == "financials":
        return {"formset": FinancialFormSet(post, prefix="fy", years=round_.years, initial=initial["formset"])}
    if step == "products":
        return {"formset": ProductFormSet(post, prefix="products", initial=initial["formset"])}
    if step == "records":
        return {key: formset(post, prefix=key, initial=initial[key]) for key, formset in RECORD_FORMSETS.items()}
    if step == "claims":
        return {"form": ClaimsForm(post, choices=claim_choices, initial=initial["form"])}
    if step == "attachments":
        return {"form": AttachmentForm(post, files)}
    return {}
