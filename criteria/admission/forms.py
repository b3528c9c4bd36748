"""The steps of the online declaration; each form reads and writes one part of the declaration's
data (the self-assessment vocabulary), so the engine can score it as it is saved."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from enterprises.models import (CertificationKind, FiscalYearRecord, IndustryTag, IPStatus, IPType, Level, StandardLevel,
                                StandardRole, SystemKind)
from enterprises.models.choices import Category

from criteria.uploads import check_evidence

STEPS = [("basic", _("基本信息")), ("financials", _("年度数据")), ("products", _("主导产品")),
         ("records", _("知识产权与其他")), ("claims", _("自评声明")), ("attachments", _("申报材料")),
         ("submit", _("确认提交"))]
STEP_NAMES = dict(STEPS)
TRI = [("", _("未填写")), ("true", _("是")), ("false", _("否"))]


def money(label, signed=False):
    validators = [] if signed else [MinValueValidator(Decimal("0"), message=_("%(label)s不能为负数。") % {"label": label})]
    return forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=2, validators=validators,
                              error_messages={"invalid": _("%(label)s必须是数字。") % {"label": label}})


def tri_to_json(value):
    return {"true": True, "false": False}.get(value)


def json_to_tri(value):
    return {True: "true", False: "false"}.get(value, "")


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

    TRI_FIELDS = ("independent_legal_person", "high_tech_certified", "own_brand")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(set(IndustryTag.objects.values_list("name", flat=True)))
        self.fields["industry_tags"].choices = [(n, n) for n in names]

    @classmethod
    def initial_from(cls, data):
        ent = dict(data.get("enterprise") or {})
        for f in cls.TRI_FIELDS:
            ent[f] = json_to_tri(ent.get(f))
        return ent

    def clean(self):
        data = super().clean()
        start, end = data.get("high_tech_valid_from"), data.get("high_tech_valid_until")
        if start and end and end < start:
            self.add_error("high_tech_valid_until", _("高新证书有效期止不能早于有效期起。"))
        return data

    def to_data(self):
        out = {}
        for name, value in self.cleaned_data.items():
            if name in self.TRI_FIELDS:
                value = tri_to_json(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value == "":
                value = None
            out[name] = value
        return out


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


class FinancialForm(CompactRowForm):
    year = forms.IntegerField(widget=forms.HiddenInput)
    operating_revenue = money(_("营业收入"))
    main_business_revenue = money(_("主营业务收入"))
    operating_profit = money(_("营业利润"), signed=True)
    total_profit = money(_("利润总额"), signed=True)
    net_profit = money(_("净利润"), signed=True)
    taxes_paid = money(_("纳税总额"))
    rd_expense = money(_("研发费用"))
    total_assets = money(_("资产总额"))
    total_liabilities = money(_("负债总额"))
    employees = forms.IntegerField(label=_("从业人员数"), required=False, min_value=0)
    rd_staff = forms.IntegerField(label=_("研发人员数"), required=False, min_value=0)
    equity_financing = money(_("股权融资实缴额"))

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

    def to_data(self):
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.cleaned_data.items()}


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


FinancialFormSet = forms.formset_factory(FinancialForm, formset=BaseYearsFormSet, extra=0)


class ProductForm(CompactRowForm):
    name = forms.CharField(label=_("产品名称"), max_length=100)
    revenue = money(_("本年度销售收入"))
    rank_province = forms.IntegerField(label=_("省内排名"), required=False, min_value=1,
                                       error_messages={"min_value": _("省内排名必须是不小于1的整数。")})
    rank_domestic = forms.IntegerField(label=_("国内排名"), required=False, min_value=1,
                                       error_messages={"min_value": _("国内排名必须是不小于1的整数。")})
    supplies_leading_enterprise = forms.CharField(label=_("配套的龙头企业"), required=False, max_length=100)
    key_field = forms.BooleanField(label=_("属于重点领域"), required=False)


ProductFormSet = forms.formset_factory(ProductForm, extra=1, can_delete=True)


class IPForm(CompactRowForm):
    type = forms.ChoiceField(label=_("类型"), choices=IPType.choices)
    status = forms.ChoiceField(label=_("状态"), choices=IPStatus.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    number = forms.CharField(label=_("编号"), max_length=50, required=False)
    product = forms.CharField(label=_("对应主导产品"), max_length=100, required=False)


IPFormSet = forms.formset_factory(IPForm, extra=1, can_delete=True)


class RDForm(CompactRowForm):
    name = forms.CharField(label=_("研发机构名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    joint = forms.BooleanField(label=_("联合共建"), required=False)


RDFormSet = forms.formset_factory(RDForm, extra=1, can_delete=True)


class OtherForm(forms.Form):
    brand_level = forms.ChoiceField(label=_("品牌最高级别"), required=False,
                                    choices=[("", _("无"))] + list(Level.choices))
    certifications = forms.MultipleChoiceField(label=_("认证"), required=False, choices=CertificationKind.choices,
                                               widget=forms.CheckboxSelectMultiple)
    standard_level = forms.ChoiceField(label=_("参与标准最高级别"), required=False,
                                       choices=[("", _("无"))] + list(StandardLevel.choices))
    standard_role = forms.ChoiceField(label=_("标准角色"), required=False, choices=StandardRole.choices)
    information_systems = forms.MultipleChoiceField(label=_("信息系统"), required=False, choices=SystemKind.choices,
                                                    widget=forms.CheckboxSelectMultiple)
    competition_level = forms.ChoiceField(label=_("创新大赛最高级别"), required=False,
                                          choices=[("", _("无"))] + list(Level.choices))


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
