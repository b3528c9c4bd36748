"""Vocabularies shared by the records and by the self-assessment API (same codes)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    MANUFACTURING = "M", _("制造类")
    INNOVATION = "I", _("创新类")


class TownKind(models.TextChoices):
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    ZONE = "zone", _("开发区")


class Taxonomy(models.TextChoices):
    CLUSTER13 = "cluster13", _("13个先进制造业集群")
    STRATEGIC = "strategic_emerging", _("战略性新兴产业")
    COUNTY = "county_leading", _("县主导产业")


class Level(models.TextChoices):
    """Ordered lowest to highest; `rank` is used wherever a rule says "X级以上"."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")
    INTERNATIONAL = "international", _("国际")


class StandardLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业标准")
    # 地方标准 rank above enterprise and below industry: "行业及以上" does not count them.
    COUNTY = "county", _("县级地方标准")
    CITY = "city", _("市级地方标准")
    PROVINCE = "province", _("省级地方标准")
    INDUSTRY = "industry", _("行业标准")
    NATIONAL = "national", _("国家标准")
    INTERNATIONAL = "international", _("国际标准")


class StandardRole(models.TextChoices):
    LED = "led", _("主导制定")
    JOINED = "joined", _("参与制定")


class IPType(models.TextChoices):
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")
    SOFTWARE = "software", _("软件著作权")
    PROPRIETARY = "proprietary", _("专有技术")


class IPStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    GRANTED = "granted", _("已授权")
    LAPSED = "lapsed", _("已失效")


class RankScope(models.TextChoices):
    PROVINCE = "province", _("省内")
    DOMESTIC = "domestic", _("国内")
    GLOBAL = "global", _("全球")


class BrandKind(models.TextChoices):
    BRAND = "brand", _("品牌")
    QUALITY_AWARD = "quality_award", _("质量奖")
    JIANGSU_JINGPIN = "jiangsu_jingpin", _("江苏精品")


class CertificationKind(models.TextChoices):
    MANAGEMENT_SYSTEM = "management_system", _("管理体系认证")
    FOREIGN = "foreign", _("发达国家和地区产品认证")
    PRODUCT = "product", _("其他产品认证")


class SystemKind(models.TextChoices):
    ERP = "ERP", _("ERP 企业资源计划")
    MES = "MES", _("MES 制造执行")
    PLM = "PLM", _("PLM 产品生命周期")
    CRM = "CRM", _("CRM 客户关系")
    SCM = "SCM", _("SCM 供应链")
    OTHER = "other", _("其他")


class BadRecordKind(models.TextChoices):
    CREDIT = "credit", _("信用")
    SAFETY = "safety", _("安全")
    ENVIRONMENT = "environment", _("环保")


class RecognitionKind(models.TextChoices):
    """Tiers of the criteria (same codes as criteria editions) and the other honours the plan counts."""

    NATIONAL_CHAMPION = "national_champion", _("国家制造业单项冠军")
    NATIONAL_GIANT = "national_giant", _("国家级专精特新小巨人")
    PROVINCE_GIANT = "province_giant", _("省级专精特新小巨人")
    PROVINCE_PRODUCT = "province_product", _("省级专精特新产品")
    CITY_GIANT = "city_giant", _("市级专精特新小巨人")
    CITY_PRODUCT = "city_product", _("市级专精特新产品")
    PROVINCE_POOL = "province_pool", _("江苏省千企升级培育库")
    CITY_POOL = "city_pool", _("市级培育库")
    FIRST_SET = "first_set", _("首台（套）重大装备")
    SMART_WORKSHOP = "smart_workshop", _("智能车间（工厂）")
    IIOT_BENCHMARK = "iiot_benchmark", _("工业互联网标杆工厂")
    QUALITY_AWARD = "quality_award", _("质量奖")
    JIANGSU_JINGPIN = "jiangsu_jingpin", _("江苏精品")
    SERVICE_PLATFORM = "service_platform", _("中小企业公共服务示范平台")
    INNOVATION_BASE = "innovation_base", _("小型微型企业创业创新示范基地")
    RD_INSTITUTION = "rd_institution", _("研发机构（工程研究中心、企业技术中心等）")
    ENERGY_RETROFIT = "energy_retrofit", _("节能及循环经济改造项目")
    # the national gradient's entry tier and what its direct routes read (创新型中小企业, 2022)
    INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")
    SCIENCE_AWARD = "science_award", _("科学技术奖")
    TECH_INNOVATION_DEMO = "tech_innovation_demo", _("技术创新示范企业")
    IP_ADVANTAGE = "ip_advantage", _("知识产权优势企业")
    IP_DEMO = "ip_demo", _("知识产权示范企业")


class MemberUnit(models.TextChoices):
    """The leading group's member units (金政发〔2022〕33号 四（一）) and the units the targets name."""

    GONGXIN = "gongxin", _("县工信局")
    FAGAI = "fagai", _("县发改委")
    CAIZHENG = "caizheng", _("县财政局")
    KEJI = "keji", _("县科技局")
    SHENPI = "shenpi", _("县审批局")
    SHICHANG = "shichang", _("县市场监管局")
    SHANGWU = "shangwu", _("县商务局")
    SHENGTAI = "shengtai", _("县生态环境局")
    YINGJI = "yingji", _("县应急局")
    GONGSHANGLIAN = "gongshanglian", _("县工商联")
    JINRONG = "jinrong", _("县金融管理服务中心")
    RENSHE = "renshe", _("县人社局")
    RENCAI = "rencai", _("县人才办")
    TOWN = "town", _("所在镇（街道、开发区）")
