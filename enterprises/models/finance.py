from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Enterprise
from .scoping import Scoped
from .fields import head_count, money, rank, year

NON_NEGATIVE_FIGURES = {
    "operating_revenue": _("营业收入"),
    "main_business_revenue": _("主营业务收入"),
    "taxes_paid": _("纳税总额"),
    "rd_expense": _("研发费用"),
    "total_assets": _("资产总额"),
    "total_liabilities": _("负债总额"),
    "equity_financing": _("股权融资实缴额"),
}


class FiscalYearRecord(Scoped):
    """One row per firm and year; every figure optional, because a missing figure must read as unknown."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="fiscal_years",
                                   verbose_name=_("企业"))
    year = year()
    operating_revenue = money(_("营业收入"))
    main_business_revenue = money(_("主营业务收入"))
    operating_profit = money(_("营业利润"), signed=True)
    total_profit = money(_("利润总额"), signed=True)
    net_profit = money(_("净利润"), signed=True)
    taxes_paid = money(_("纳税总额"))
    rd_expense = money(_("研发费用"))
    total_assets = money(_("资产总额"))
    total_liabilities = money(_("负债总额"))
    employees = head_count(_("从业人员数"))
    rd_staff = head_count(_("研发人员数"))
    equity_financing = money(_("股权融资实缴额"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("年度财务数据")
        verbose_name_plural = _("年度财务数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="uniq_fiscal_year",
                                    violation_error_message=_("该企业本年度的财务数据已存在，请修改原记录。")),
            *[models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}) | Q(**{f"{f}__isnull": True}),
                                     name=f"fy_{f}_non_negative",
                                     violation_error_message=_("%(label)s不能为负数。") % {"label": label})
              for f, label in NON_NEGATIVE_FIGURES.items()],
        ]

    # The one list of yearly figures, in display order: forms, serializers, import columns, export
    # headers and labels all derive from it and from the fields' verbose names.
    FIGURES = ("operating_revenue", "main_business_revenue", "operating_profit", "total_profit", "net_profit",
               "taxes_paid", "rd_expense", "total_assets", "total_liabilities", "employees", "rd_staff",
               "equity_financing")
    COUNT_FIGURES = ("employees", "rd_staff")
    SIGNED_FIGURES = ("operating_profit", "total_profit", "net_profit")
    MONEY_FIGURES = ("operating_revenue", "main_business_revenue", "operating_profit", "total_profit", "net_profit",
                     "taxes_paid", "rd_expense", "total_assets", "total_liabilities", "equity_financing")

    def __str__(self):
        return f"{self.enterprise} {self.year}年"

    @classmethod
    def figure_fields(cls):
        return [cls._meta.get_field(name) for name in cls.FIGURES]

    @classmethod
    def figure_labels(cls):
        """{name: Chinese label}; the unit goes in the column header where a page shows one."""
        return {f.name: str(f.verbose_name) for f in cls.figure_fields()}

    @classmethod
    def figure_unit(cls, name):
        return _("人") if name in cls.COUNT_FIGURES else _("万元")

    @staticmethod
    def figure_errors(data):
        """Cross-figure checks shared by the model, its forms and the API serializer."""
        errors = {}
        op, main = data.get("operating_revenue"), data.get("main_business_revenue")
        if op is not None and main is not None and main > op:
            errors["main_business_revenue"] = _("主营业务收入不能大于营业收入。")
        staff, rd = data.get("employees"), data.get("rd_staff")
        if staff is not None and rd is not None and rd > staff:
            errors["rd_staff"] = _("研发人员数不能大于从业人员数。")
        return errors

    def clean(self):
        errors = self.figure_errors(self.__dict__)
        if errors:
            raise ValidationError(errors)

    @property
    def profit_plus_tax(self):
        if self.total_profit is None or self.taxes_paid is None:
            return None
        return self.total_profit + self.taxes_paid


class Product(Scoped):
    """A leading product (主导产品); product tiers are judged per product."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products",
                                   verbose_name=_("企业"))
    name = models.CharField(_("产品名称"), max_length=100)
    rank_province = rank(_("省内市场占有率排名"))
    rank_domestic = rank(_("国内市场占有率排名"))
    rank_global = rank(_("全球市场占有率排名"))
    supply_chain_customer = models.CharField(_("配套的龙头企业"), max_length=100, blank=True,
                                             help_text=_("进入龙头企业供应链体系时填写客户名称"))
    key_field = models.BooleanField(_("属于关键基础材料、核心零部件等重点领域"), default=False)
    strategic_emerging = models.BooleanField(_("属于《战略性新兴产业分类》"), null=True, blank=True, default=None,
                                             help_text=_("主导产品所属领域是否在《战略性新兴产业分类》内；不清楚请留空"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("主导产品")
        verbose_name_plural = _("主导产品")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="uniq_product_name",
                                               violation_error_message=_("该企业已有同名产品。"))]

    def __str__(self):
        return self.name


class ProductRevenue(Scoped):
    enterprise_path = "product__enterprise"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="revenues",
                                verbose_name=_("产品"))
    year = year()
    revenue = money(_("产品销售收入"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "-year"]
        verbose_name = _("产品销售收入")
        verbose_name_plural = _("产品销售收入")
        constraints = [
            models.UniqueConstraint(fields=["product", "year"], name="uniq_product_revenue_year",
                                    violation_error_message=_("该产品本年度的销售收入已存在。")),
            models.CheckConstraint(condition=Q(revenue__gte=0) | Q(revenue__isnull=True),
                                   name="product_revenue_non_negative",
                                   violation_error_message=_("产品销售收入不能为负数。")),
        ]

    def __str__(self):
        return f"{self.product} {self.year}年"
