from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import validate_uscc
from .choices import Category, MemberUnit, Taxonomy, TownKind
from .scoping import Scoped, ScopedQuerySet


class Town(models.Model):
    """镇、街道、开发区: the units assessed on their pool enterprises (专项考核)."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=TownKind.choices, default=TownKind.TOWN)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("镇（街道、开发区）")
        verbose_name_plural = _("镇（街道、开发区）")

    def __str__(self):
        return self.name


class IndustryTag(models.Model):
    """An entry of one of the three industry lists staff edit (13 clusters, strategic emerging, county leading)."""

    taxonomy = models.CharField(_("分类"), max_length=30, choices=Taxonomy.choices)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["taxonomy", "order", "name"]
        verbose_name = _("产业标签")
        verbose_name_plural = _("产业标签")
        constraints = [models.UniqueConstraint(
            fields=["taxonomy", "name"], name="uniq_tag_per_taxonomy",
            violation_error_message=_("同一分类下已有同名产业标签。"))]

    def __str__(self):
        return f"{self.get_taxonomy_display()}·{self.name}"


class PoolStatus(models.TextChoices):
    NONE = "none", _("未入库")
    IN_POOL = "in_pool", _("在库")
    MOVED_OUT = "moved_out", _("已出库")


EnterpriseQuerySet = ScopedQuerySet  # kept for imports elsewhere


class Enterprise(Scoped):
    enterprise_path = ""

    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc],
        error_messages={"unique": _("统一社会信用代码已被其他企业使用。")})
    registered_province = models.CharField(_("注册地（省）"), max_length=20, default="江苏")
    independent_legal_person = models.BooleanField(_("具有独立法人资格"), null=True, blank=True)
    town = models.ForeignKey(Town, verbose_name=_("所属镇（街道、开发区）"), on_delete=models.PROTECT,
                             related_name="enterprises")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    founding_date = models.DateField(_("成立日期"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices, blank=True)
    industry_tags = models.ManyToManyField(IndustryTag, verbose_name=_("产业标签"), blank=True,
                                           related_name="enterprises")
    main_business = models.CharField(_("主营业务"), max_length=200, blank=True)
    years_in_niche = models.PositiveSmallIntegerField(_("从事细分市场年限"), null=True, blank=True)
    years_in_field = models.PositiveSmallIntegerField(_("从事相关业务领域年限"), null=True, blank=True)
    years_with_new_product = models.PositiveSmallIntegerField(_("从事新产品生产经营年限"), null=True, blank=True)
    high_tech_certified = models.BooleanField(_("国家高新技术企业"), null=True, blank=True)
    high_tech_valid_from = models.DateField(_("高新技术企业证书有效期起"), null=True, blank=True)
    high_tech_valid_until = models.DateField(_("高新技术企业证书有效期止"), null=True, blank=True)
    own_brand = models.BooleanField(_("拥有自主品牌"), null=True, blank=True)
    industry_average_margin = models.DecimalField(
        _("同期同行业利润率（%）"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("由工作人员按行业统计数据填写"))
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    liaison_officer = models.CharField(_("政企联络员"), max_length=30, blank=True)
    tracking_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="tracked_firms", verbose_name=_("跟踪责任人"),
                                         help_text=_("一企一册：专人跟踪本企业的工作人员"))
    pool_status = models.CharField(_("培育库状态"), max_length=10, choices=PoolStatus.choices,
                                   default=PoolStatus.NONE, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[industry_tags])


    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(high_tech_valid_until__isnull=True)
                | models.Q(high_tech_valid_from__isnull=True)
                | models.Q(high_tech_valid_until__gte=models.F("high_tech_valid_from")),
                name="high_tech_validity_ordered",
                violation_error_message=_("高新技术企业证书有效期止不能早于有效期起。")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:detail", args=[self.pk])


class UserScope(models.Model):
    """Binds a user to what their role reaches: one firm for an enterprise user, one town for a town officer."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope",
                                verbose_name=_("用户"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="users", verbose_name=_("所属企业"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="officers", verbose_name=_("负责镇（街道、开发区）"))
    # A member-unit officer's unit: requests and tasks routed to it are theirs (services).
    member_unit = models.CharField(_("成员单位"), max_length=50, blank=True, choices=MemberUnit.choices)
    phone = models.CharField(_("手机号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户归属")
        verbose_name_plural = _("用户归属")

    def __str__(self):
        return str(self.user)
