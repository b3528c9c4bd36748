from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from enterprises import models as m


def valid_uscc(n):
    body = f"91320831MA{n:07d}"
    return body + uscc.calc_check_digit(body + "0")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Town
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 5000))
    town = factory.SubFactory(TownFactory)
    category = m.Category.MANUFACTURING
    founding_date = date(2012, 5, 1)
    independent_legal_person = True


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FiscalYearRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    operating_revenue = Decimal("3000.00")
    main_business_revenue = Decimal("2800.00")
    operating_profit = Decimal("200.00")
    total_profit = Decimal("210.00")
    net_profit = Decimal("180.00")
    taxes_paid = Decimal("120.00")
    rd_expense = Decimal("90.00")
    total_assets = Decimal("4000.00")
    total_liabilities = Decimal("1800.00")
    employees = 80
    rd_staff = 12
    equity_financing = Decimal("0")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"产品{n}")
    rank_province = 3


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")


def strong_county_firm(**fields):
    """A manufacturing firm meeting every county-pool rule (2022 edition) for assessment year 2023:
    M1 by 3000 of main business revenue and 400 + 200 of profit and tax a year over 2020-2023, a
    product 3rd in the province, high-tech 2022-2024, a city R&D centre, a granted invention, a
    city brand, staff's M3e decision for 2023, and no bad record."""
    from criteria.models import StaffJudgment

    firm = EnterpriseFactory(high_tech_certified=True, high_tech_valid_from=date(2022, 1, 1),
                             high_tech_valid_until=date(2024, 12, 31), **fields)
    for year in (2020, 2021, 2022, 2023):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal("3500.00"),
                          main_business_revenue=Decimal("3000.00"), total_profit=Decimal("400.00"),
                          taxes_paid=Decimal("200.00"))
    ProductFactory(enterprise=firm, rank_province=3)
    m.RDInstitution.objects.create(enterprise=firm, name="市级技术中心", level="city")
    m.IPItem.objects.create(enterprise=firm, ip_type="invention", status="granted", title="发明专利")
    m.Brand.objects.create(enterprise=firm, name="市级品牌", level="city")
    StaffJudgment.objects.create(enterprise=firm, tier="county_pool", year=2023, code="M3e", met=True,
                                 reason="现场核实")
    return firm


# --- Every kind of record a firm holds (declarations, approvals) ---------------------------------

class ProductRevenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ProductRevenue

    product = factory.SubFactory(ProductFactory)
    year = 2024
    revenue = Decimal("1500.00")


class IPItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.IPItem

    enterprise = factory.SubFactory(EnterpriseFactory)
    ip_type = m.IPType.INVENTION
    status = m.IPStatus.GRANTED
    title = factory.Sequence(lambda n: f"一种测试装置（{n}）")
    number = factory.Sequence(lambda n: f"ZL2020{n:07d}")


class RDInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RDInstitution

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"企业技术中心{n}")
    level = m.Level.CITY


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Brand

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"测试品牌{n}")
    level = m.Level.CITY


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Certification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = m.CertificationKind.MANAGEMENT_SYSTEM
    name = factory.Sequence(lambda n: f"ISO 9001 质量管理体系认证（{n}）")


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Standard

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"测试行业标准{n}")
    level = m.StandardLevel.INDUSTRY
    role = m.StandardRole.JOINED


class InformationSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.InformationSystem

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = m.SystemKind.ERP
    name = factory.Sequence(lambda n: f"ERP 系统{n}")


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Competition

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"创新创业大赛{n}")
    level = m.Level.CITY


class BadRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.BadRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = m.BadRecordKind.ENVIRONMENT
    date = date(2021, 6, 1)


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Recognition

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = m.RecognitionKind.CITY_GIANT
    level = m.Level.CITY
    year = 2022


# --- Cultivation plans ------------------------------------------------------------------------------

from django.utils import timezone as _timezone  # noqa: E402


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "criteria.CultivationPlan"

    enterprise = factory.SubFactory(EnterpriseFactory)
    tier = "city_giant"
    year = 2023
    created_on = factory.LazyFunction(_timezone.localdate)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "criteria.PlanItem"

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"X{n}")
    gap_text = factory.Sequence(lambda n: f"事项{n}")
    action = "拓展市场、提升主营业务收入"
    responsible_unit = m.MemberUnit.GONGXIN
    position = factory.Sequence(lambda n: n)


# --- Services and the pool, as the targets count them ------------------------------------------------

class PoolMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "criteria.PoolMembership"

    enterprise = factory.SubFactory(EnterpriseFactory)
    admitted_on = date(2022, 6, 1)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "services.Training"

    title = factory.Sequence(lambda n: f"专精特新企业家培训班（第{n}期）")
    date = date(2023, 5, 10)
    organiser = m.MemberUnit.GONGXIN
    kind = "entrepreneurs"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "services.Attendance"

    training = factory.SubFactory(TrainingFactory)
    name = factory.Sequence(lambda n: f"学员{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    enterprise = factory.SubFactory(EnterpriseFactory)


# --- Services: requests (诉求) and meeting tasks ----------------------------------------------------

class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request as filed (待分办); walk it on with services.workflow.advance, or set the fields."""

    class Meta:
        model = "services.ServiceRequest"

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = "financing"
    description = factory.Sequence(lambda n: f"企业申请技改贷款贴息，第{n}号诉求")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "services.Meeting"

    date = date(2024, 3, 15)
    title = factory.Sequence(lambda n: f"专精特新工作领导小组第{n}次联席会议")
    attendees = factory.LazyFunction(lambda: ["gongxin", "keji"])


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision, not a task until routed to a unit with a due date."""

    class Meta:
        model = "services.Decision"

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"议定事项{n}：梳理重点企业需求清单")


# --- Services: 挂钩帮扶 links and visits ------------------------------------------------------------

class LinkFactory(factory.django.DjangoModelFactory):
    """A current county-leader link (started a year ago, no end)."""

    class Meta:
        model = "services.Link"

    person = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "county_leader"
    starts_on = date(2024, 1, 1)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "services.Visit"

    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = date(2024, 6, 1)
    visitor = factory.SubFactory(UserFactory)
    topics = factory.Sequence(lambda n: f"了解企业生产经营情况{n}")


# --- Scored standard (创新型中小企业) ----------------------------------------------------------------

def scored_firm(enterprise=None, *, year=2023, rd_expense="500", main_prev="10000", main="11500",
                operating="11500", liabilities="5500", strategic=True, ip_flags=None):
    """A stored firm with what the 创新型中小企业 indicators read: by default every indicator at its top
    band (100 points); change a figure to move one band."""
    firm = enterprise or EnterpriseFactory()
    FiscalYearFactory(enterprise=firm, year=year - 1, main_business_revenue=Decimal(main_prev))
    FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal(operating),
                      main_business_revenue=Decimal(main), rd_expense=Decimal(rd_expense),
                      total_assets=Decimal("10000"), total_liabilities=Decimal(liabilities))
    product = ProductFactory(enterprise=firm, name="精密阀门", strategic_emerging=strategic)
    IPItemFactory(enterprise=firm, product=product, **(ip_flags if ip_flags is not None else {"high_value": True}))
    return firm


class HonourFactory(RecognitionFactory):
    """An honour with its validity, read by the scored standard's direct routes."""

    kind = m.RecognitionKind.IP_DEMO
    level = m.Level.NATIONAL
    year = 2022
    valid_until = date(2025, 12, 31)
