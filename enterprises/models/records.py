"""Dated records the criteria read: IP, R&D institutions, brands, certifications, standards,
information systems, competitions, bad records and the recognitions a firm holds."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (BadRecordKind, BrandKind, CertificationKind, IPStatus, IPType, Level,
                      RecognitionKind, StandardLevel, StandardRole, SystemKind)
from .core import Enterprise
from .scoping import Scoped
from .fields import year
from .finance import Product


class EnterpriseRecord(Scoped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="%(class)ss",
                                   verbose_name=_("企业"))

    class Meta(Scoped.Meta):
        abstract = True


class IPItem(EnterpriseRecord):
    ip_type = models.CharField(_("类型"), max_length=20, choices=IPType.choices)
    number = models.CharField(_("编号"), max_length=50, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=IPStatus.choices)
    applied_on = models.DateField(_("申请日"), null=True, blank=True)
    granted_on = models.DateField(_("授权日"), null=True, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="ip_items", verbose_name=_("对应主导产品"))
    # 创新型中小企业评价（2022）: Ⅰ类高价值 and 自主研发 flags; None = not recorded (counts as plain Ⅰ类).
    high_value = models.BooleanField(_("高价值知识产权"), null=True, blank=True, default=None,
                                     help_text=_("Ⅰ类高价值：战略性新兴产业、有海外同族、维持10年以上、质押融资或获专利奖等"))
    self_developed = models.BooleanField(_("自主研发"), null=True, blank=True, default=None,
                                         help_text=_("自主研发取得（非受让、非许可）"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "ip_type", "number"]
        verbose_name = _("知识产权")
        verbose_name_plural = _("知识产权")

    def __str__(self):
        return self.title


class RDInstitution(EnterpriseRecord):
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    joint = models.BooleanField(_("与高校、科研机构联合共建"), default=False)
    partner = models.CharField(_("共建单位"), max_length=200, blank=True)
    recognized_year = models.PositiveSmallIntegerField(_("认定年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("研发机构")
        verbose_name_plural = _("研发机构")

    def __str__(self):
        return self.name


class Brand(EnterpriseRecord):
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=BrandKind.choices, default=BrandKind.BRAND)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("获得年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌与质量奖")
        verbose_name_plural = _("品牌与质量奖")

    def __str__(self):
        return self.name


class Certification(EnterpriseRecord):
    kind = models.CharField(_("类型"), max_length=20, choices=CertificationKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("认证")
        verbose_name_plural = _("认证")

    def __str__(self):
        return self.name


class Standard(EnterpriseRecord):
    name = models.CharField(_("标准名称"), max_length=200)
    code = models.CharField(_("标准号"), max_length=50, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=StandardLevel.choices)
    role = models.CharField(_("角色"), max_length=10, choices=StandardRole.choices)
    year = models.PositiveSmallIntegerField(_("发布年度"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标准")
        verbose_name_plural = _("标准")

    def __str__(self):
        return self.name


class InformationSystem(EnterpriseRecord):
    kind = models.CharField(_("类型"), max_length=10, choices=SystemKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    core_business = models.CharField(_("支撑的核心业务"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信息系统")
        verbose_name_plural = _("信息系统")

    def __str__(self):
        return self.name or self.get_kind_display()


class Competition(EnterpriseRecord):
    name = models.CharField(_("大赛名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("参赛年度"), null=True, blank=True)
    result = models.CharField(_("成绩"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("创新大赛")
        verbose_name_plural = _("创新大赛")

    def __str__(self):
        return self.name


class BadRecord(EnterpriseRecord):
    kind = models.CharField(_("类型"), max_length=20, choices=BadRecordKind.choices)
    date = models.DateField(_("发生日期"))
    description = models.CharField(_("情况说明"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("不良行为记录")
        verbose_name_plural = _("不良行为记录")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class Recognition(EnterpriseRecord):
    """A title granted by a higher level; the targets count these, the engine reads them (S4b)."""

    kind = models.CharField(_("认定类型"), max_length=30, choices=RecognitionKind.choices)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = year(_("认定年度"))
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="recognitions", verbose_name=_("产品"))
    document = models.CharField(_("认定文件"), max_length=200, blank=True)
    granted_on = models.DateField(_("认定日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True,
                                   help_text=_("有有效期的荣誉（技术创新示范企业、知识产权优势/示范企业等）填写"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("认定荣誉")
        verbose_name_plural = _("认定荣誉")

    def __str__(self):
        return f"{self.year}年{self.get_kind_display()}"
