from datetime import date
from decimal import Decimal

import pytest

from criteria.models import Claim, StaffJudgment
from enterprises import models as m
from tests.factories import EnterpriseFactory, FiscalYearFactory, ProductFactory

YEAR = 2023     # the assessment year of the `firms` fixture


@pytest.fixture
def editions(db):
    """The published 2022 editions (fixtures/editions/*.json) loaded into the database."""
    from criteria.services import load_editions

    load_editions()


def _fiscal_years(firm, revenue, growth=Decimal("1.12"), years=(2020, 2021, 2022, 2023)):
    for k, year in enumerate(years):
        rev = (revenue / growth ** (len(years) - 1 - k)).quantize(Decimal("0.01"))
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=rev,
                          main_business_revenue=(rev * Decimal("0.9")).quantize(Decimal("0.01")),
                          operating_profit=(rev * Decimal("0.08")).quantize(Decimal("0.01")),
                          total_profit=(rev * Decimal("0.09")).quantize(Decimal("0.01")),
                          rd_expense=(rev * Decimal("0.045")).quantize(Decimal("0.01")),
                          total_assets=rev * 2, total_liabilities=rev, employees=120, rd_staff=20)


@pytest.fixture
def firms(editions):
    """A handful of firms of different shapes: strong with two products and records, a
    borderline one with a staff judgment and a claim, one without products, an innovation-type
    firm with partial figures, one with nothing but its registration."""
    strong = EnterpriseFactory(high_tech_certified=True, high_tech_valid_from=date(2022, 11, 1),
                               high_tech_valid_until=date(2025, 10, 31), own_brand=True, years_in_niche=8,
                               years_in_field=15, industry_average_margin=Decimal("6.50"))
    _fiscal_years(strong, Decimal("16000.00"))
    p1 = ProductFactory(enterprise=strong, name="精密阀门", rank_province=1, rank_domestic=3,
                        supply_chain_customer="龙头集团", key_field=True)
    p2 = ProductFactory(enterprise=strong, name="流量仪表", rank_province=4)
    for year in (2020, 2021, 2022, 2023):
        m.ProductRevenue.objects.create(product=p1, year=year, revenue=Decimal("9000.50") - 1000 * (2023 - year))
        m.ProductRevenue.objects.create(product=p2, year=year, revenue=Decimal("1200"))
    for k in range(5):
        m.IPItem.objects.create(enterprise=strong, ip_type="invention", status="granted", title=f"发明{k}",
                                product=p1 if k < 3 else None)
    m.IPItem.objects.create(enterprise=strong, ip_type="utility", status="applied", title="实用新型")
    m.RDInstitution.objects.create(enterprise=strong, name="技术中心", level="province", joint=True)
    m.Brand.objects.create(enterprise=strong, name="品牌", level="province")
    m.Certification.objects.create(enterprise=strong, kind="management_system", name="ISO 9001")
    m.Standard.objects.create(enterprise=strong, name="行业标准", level="industry", role="led")
    m.InformationSystem.objects.create(enterprise=strong, kind="ERP", name="ERP")
    m.Recognition.objects.create(enterprise=strong, kind="city_giant", level="city", year=2021)

    borderline = EnterpriseFactory(years_in_niche=3, own_brand=False)
    _fiscal_years(borderline, Decimal("1999.99"), growth=Decimal("1.05"))
    ProductFactory(enterprise=borderline, name="小型泵", rank_province=9, key_field=False)
    m.BadRecord.objects.create(enterprise=borderline, kind="environment", date=date(2022, 6, 1))
    StaffJudgment.objects.create(enterprise=borderline, tier="county_pool", year=YEAR, code="M3e", met=True,
                                 reason="现场核实")
    Claim.objects.create(enterprise=borderline, tier="province_pool", year=YEAR, code="C2")
    StaffJudgment.objects.create(enterprise=borderline, tier="city_product", year=YEAR, code="P3", product="小型泵",
                                 met=False, reason="未达到")

    no_products = EnterpriseFactory()
    _fiscal_years(no_products, Decimal("5200.00"))

    innovation = EnterpriseFactory(category=m.Category.INNOVATION, registered_province="上海")
    FiscalYearFactory(enterprise=innovation, year=YEAR, operating_revenue=Decimal("0"), total_profit=None)

    bare = EnterpriseFactory(category="", founding_date=None, independent_legal_person=None)
    return [strong, borderline, no_products, innovation, bare]
