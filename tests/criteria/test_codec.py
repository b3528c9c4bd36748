"""Approvals lose nothing: a declaration goes from the firm's records through the step forms (as a
browser posts them) and back to the records, which are updated by natural key, field by field."""
import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from criteria.admission import codec
from criteria.models import Declaration, Edition, Round, Status
from enterprises import models as m

from ..factories import (
    BadRecordFactory,
    BrandFactory,
    CertificationFactory,
    CompetitionFactory,
    FiscalYearFactory,
    InformationSystemFactory,
    IPItemFactory,
    ProductFactory,
    ProductRevenueFactory,
    RDInstitutionFactory,
    RecognitionFactory,
    StandardFactory,
)

TODAY = timezone.localdate()
STEPS = ("basic", "financials", "products", "records", "claims")
RECORD_MODELS = (m.Enterprise, m.FiscalYearRecord, m.Product, m.ProductRevenue, m.IPItem, m.RDInstitution, m.Brand,
                 m.Certification, m.Standard, m.InformationSystem, m.Competition, m.BadRecord, m.Recognition)


@pytest.fixture
def admission(published_editions, bob):
    return Round.objects.create(title="2026年县级培育库入库申报", kind="admission", tier="county_pool", year=2025,
                                opens_on=TODAY - datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=10),
                                edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)


class FormFields(HTMLParser):
    """What a browser would post from the page's step form: inputs, checked boxes, selected options
    and text areas, leaving out the blank rows kept in <template> for the "添加一行" button."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.in_template, self.select, self.textarea = {}, False, 0, None, None

    def add(self, name, value):
        if name in self.data:
            old = self.data[name]
            self.data[name] = (old if isinstance(old, list) else [old]) + [value]
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and "novalidate" in a:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template or not a.get("name") and tag != "option":
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "on"))
            elif a.get("type") not in ("submit", "button"):
                self.add(a["name"], a.get("value") or "")
        elif tag == "select":
            self.select = a["name"]
            if "multiple" not in a:
                self.data.setdefault(a["name"], "")
        elif tag == "option" and self.select and "selected" in a:
            if "multiple" in a or isinstance(self.data.get(self.select), list):
                self.add(self.select, a.get("value", ""))
            else:
                self.data[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea and not self.in_template:
            self.data[self.textarea] += data


def page_form(client, declaration, step):
    response = client.get(reverse("criteria:declaration_step", args=[declaration.pk, step]))
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def post_step(client, declaration, step, data):
    response = client.post(reverse("criteria:declaration_step", args=[declaration.pk, step]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def declare_and_approve(client, declaration, alice, dave, bob, change=lambda step, data: None):
    """The firm saves every step as its page shows it (with `change` applied), submits; the town
    pre-approves and the county approves."""
    client.force_login(alice)
    for step in STEPS:
        data = page_form(client, declaration, step)
        change(step, data)
        post_step(client, declaration, step, data)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "submit"]))
    client.force_login(dave)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "town_approve"]))
    client.force_login(bob)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]))
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED, list(declaration.events.values_list("action", flat=True))


def demo_like(firm):
    """A firm with every kind of record, every optional field filled, as the demo builds them."""
    tags = [m.IndustryTag.objects.create(taxonomy="county_leading", name="高端装备"),
            m.IndustryTag.objects.create(taxonomy="cluster13", name="高端装备")]
    m.IndustryTag.objects.create(taxonomy="strategic_emerging", name="高端装备制造")
    firm.industry_tags.set(tags[:1])   # one of the two tags named 高端装备: approval must not add the other
    m.Enterprise.objects.filter(pk=firm.pk).update(
        registered_province="江苏", address="金湖县工业园区1号", category="M", main_business="阀门的研发、生产与销售",
        years_in_niche=9, years_in_field=14, years_with_new_product=6, high_tech_certified=True,
        high_tech_valid_from=datetime.date(2023, 11, 1), high_tech_valid_until=datetime.date(2026, 10, 31),
        own_brand=True, industry_average_margin=Decimal("6.50"), contact_person="王经理",
        contact_phone="0517-86000001", liaison_officer="李联络员")
    for year in (2022, 2023, 2024, 2025):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal(3000 + 500 * (year - 2022)),
                          main_business_revenue=Decimal(2700 + 450 * (year - 2022)), equity_financing=Decimal("120.50"))
    valve = ProductFactory(enterprise=firm, name="精密阀门", rank_province=2, rank_domestic=7, rank_global=40,
                           supply_chain_customer="示范龙头集团", key_field=True)
    gauge = ProductFactory(enterprise=firm, name="智能仪表", rank_province=9, rank_domestic=None)
    for year in (2022, 2023, 2024, 2025):
        ProductRevenueFactory(product=valve, year=year, revenue=Decimal(2000 + 100 * (year - 2022)))
    ProductRevenueFactory(product=gauge, year=2025, revenue=Decimal("300.00"))
    IPItemFactory(enterprise=firm, title="一种阀门密封结构", number="ZL202010000001", applied_on=datetime.date(2020, 3, 1),
                  granted_on=datetime.date(2022, 5, 6), product=valve)
    IPItemFactory(enterprise=firm, ip_type=m.IPType.UTILITY, title="阀门手柄", number="ZL202120000002",
                  applied_on=datetime.date(2021, 1, 5), granted_on=datetime.date(2021, 8, 9))
    IPItemFactory(enterprise=firm, ip_type=m.IPType.PROPRIETARY, status=m.IPStatus.APPLIED, title="铸造工艺", number="")
    RDInstitutionFactory(enterprise=firm, name="省级企业技术中心", level=m.Level.PROVINCE, joint=True,
                         partner="南京工业大学", recognized_year=2022)
    BrandFactory(enterprise=firm, name="金湖阀门", kind=m.BrandKind.QUALITY_AWARD, level=m.Level.CITY, year=2023)
    CertificationFactory(enterprise=firm, name="ISO 9001", issued_on=datetime.date(2022, 1, 10),
                         valid_until=datetime.date(2025, 1, 9))
    CertificationFactory(enterprise=firm, name="ISO 14001", issued_on=datetime.date(2023, 2, 1),
                         valid_until=datetime.date(2026, 1, 31))
    StandardFactory(enterprise=firm, name="工业阀门 密封试验", code="JB/T 9092-2023", level=m.StandardLevel.INDUSTRY,
                    role=m.StandardRole.LED, year=2023)
    InformationSystemFactory(enterprise=firm, kind=m.SystemKind.MES, name="车间 MES", core_business="生产执行")
    CompetitionFactory(enterprise=firm, name="创客中国", level=m.Level.PROVINCE, year=2024, result="二等奖")
    BadRecordFactory(enterprise=firm, description="环保处罚（已整改）")
    RecognitionFactory(enterprise=firm, product=valve, document="淮工信〔2022〕1号", note="示范")
    firm.refresh_from_db()
    return firm


def snapshot(firm):
    """Every field of every record the firm holds, by model and primary key; and the history rows."""
    rows = {}
    for model in RECORD_MODELS:
        path = {m.Enterprise: "pk", m.ProductRevenue: "product__enterprise"}.get(model, "enterprise")
        for obj in model.objects.filter(**{path: firm.pk}):
            rows[(model.__name__, obj.pk)] = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    rows[("tags", firm.pk)] = sorted(firm.industry_tags.values_list("pk", flat=True))
    history = {model.__name__: model.history.count() for model in RECORD_MODELS}
    return rows, history


def test_approval_changes_the_one_figure_declared_and_no_other_field_of_any_record(
        client, alice, dave, bob, firm, admission):
    firm = demo_like(firm)
    before, history_before = snapshot(firm)
    client.force_login(alice)
    client.post(reverse("criteria:declaration_start", args=[admission.pk]))
    declaration = Declaration.objects.get(round=admission, enterprise=firm)

    def change(step, data):
        if step == "financials":
            row = next(k.split("-")[1] for k, v in data.items() if k.endswith("-year") and v == "2024")
            assert data[f"fy-{row}-rd_expense"] == "90.00"
            data[f"fy-{row}-rd_expense"] = "135.50"

    declare_and_approve(client, declaration, alice, dave, bob, change)
    after, history_after = snapshot(firm)
    changed = m.FiscalYearRecord.objects.get(enterprise=firm, year=2024)
    assert changed.rd_expense == Decimal("135.50")
    key = ("FiscalYearRecord", changed.pk)
    differing = {k: {f for f in before[k] if before[k][f] != after[k][f]} for k in before if before[k] != after.get(k)}
    # the one figure, and the pool status the admission sets
    assert differing == {key: {"rd_expense", "updated_at"}, ("Enterprise", firm.pk): {"pool_status"}}
    assert after[("Enterprise", firm.pk)]["pool_status"] == m.PoolStatus.IN_POOL
    assert set(after) == set(before), "no record was added or removed"
    assert {k: history_after[k] - history_before[k] for k in history_before if history_after[k] != history_before[k]} \
        == {"FiscalYearRecord": 1}, "only the changed row was saved (nothing deleted and re-created)"


def test_several_brands_standards_and_competitions_declared_through_the_steps_survive_approval(
        client, alice, dave, bob, firm, admission):
    brands = [("金湖阀门", "brand", "city", "2021"), ("淮安市质量奖", "quality_award", "city", "2023"),
              ("江苏精品阀门", "jiangsu_jingpin", "province", "2024")]
    standards = [("工业阀门 压力试验", "GB/T 13927-2022", "national", "joined", "2022"),
                 ("阀门密封", "JB/T 9092-2023", "industry", "led", "2023"),
                 ("企业阀门检验规范", "Q/JH 001-2024", "enterprise", "led", "2024")]
    competitions = [("创客中国", "province", "2024", "二等奖"), ("淮安市创新创业大赛", "city", "2023", "优胜奖")]

    def rows(data, prefix, names, values):
        for i, row in enumerate(values):
            data.update({f"{prefix}-{i}-{name}": value for name, value in zip(names, row)})
        data[f"{prefix}-TOTAL_FORMS"] = str(len(values))

    def change(step, data):
        if step == "records":
            rows(data, "brands", ("name", "kind", "level", "year"), brands)
            rows(data, "standards", ("name", "code", "level", "role", "year"), standards)
            rows(data, "competitions", ("name", "level", "year", "result"), competitions)

    client.force_login(alice)
    client.post(reverse("criteria:declaration_start", args=[admission.pk]))
    declaration = Declaration.objects.get(round=admission, enterprise=firm)
    declare_and_approve(client, declaration, alice, dave, bob, change)
    assert len(declaration.snapshot["brands"]) == 3 and declaration.snapshot["standards"][0]["code"] == "GB/T 13927-2022"
    assert sorted(firm.brands.values_list("name", "kind", "level", "year")) == sorted(
        (n, k, lv, int(y)) for n, k, lv, y in brands)
    assert sorted(firm.standards.values_list("name", "code", "level", "role", "year")) == sorted(
        (n, c, lv, r, int(y)) for n, c, lv, r, y in standards)
    assert sorted(firm.competitions.values_list("name", "level", "year", "result")) == sorted(
        (n, lv, int(y), r) for n, lv, y, r in competitions)


def test_records_are_updated_in_place_by_natural_key_and_removed_only_when_the_firm_removes_them(firm, bob):
    brand = BrandFactory(enterprise=firm, name="金湖阀门", level=m.Level.CITY, year=2021)
    dropped = BrandFactory(enterprise=firm, name="旧品牌", level=m.Level.COUNTY)
    standard = StandardFactory(enterprise=firm, name="阀门密封", code="JB/T 9092-2023", year=2023)
    data = codec.from_records(firm, [2025])
    data["brands"] = [{**data["brands"][0], "level": "province"}]           # upgraded; 旧品牌 removed
    data["standards"][0]["name"] = "阀门密封（修订）"                          # renamed: same code, same record
    years, changed = codec.to_records(data, firm, bob, 2025)
    assert changed and years == set()
    brand.refresh_from_db()
    assert (brand.level, brand.year) == ("province", 2021)
    assert not m.Brand.objects.filter(pk=dropped.pk).exists()
    standard.refresh_from_db()
    assert (standard.name, standard.year) == ("阀门密封（修订）", 2023)


def test_an_older_declaration_without_the_new_keys_leaves_the_stored_fields_alone(firm, bob):
    RDInstitutionFactory(enterprise=firm, name="市级企业技术中心", level=m.Level.CITY, partner="淮阴工学院",
                         recognized_year=2021)
    StandardFactory(enterprise=firm, name="阀门密封", code="JB/T 9092-2023", year=2023)
    data = {"rd_institutions": [{"name": "市级企业技术中心", "level": "province", "joint": True}],
            "standards": [{"name": "阀门密封", "level": "industry", "role": "led"}]}
    codec.to_records(data, firm, bob, 2025)
    rd = firm.rdinstitutions.get()
    assert (rd.level, rd.joint, rd.partner, rd.recognized_year) == ("province", True, "淮阴工学院", 2021)
    standard = firm.standards.get()
    assert (standard.code, standard.year, standard.role) == ("JB/T 9092-2023", 2023, "led")


def test_the_declared_json_keeps_the_self_assessment_vocabulary(firm):
    from criteria.profile_input import profile_from_request

    demo_like(firm)
    data = codec.from_records(firm, [2023, 2024, 2025])
    assert data["standards"][0] == {"name": "工业阀门 密封试验", "code": "JB/T 9092-2023", "level": "industry",
                                    "role": "led", "year": 2023}
    assert data["ip"][0]["type"] == "invention" and data["ip"][0]["product"] == "精密阀门"
    profile = profile_from_request(data)
    assert len(profile.brands) == 1 and profile.standards[0].level == "industry"
    valve = next(p for p in profile.products if p.name == "精密阀门")
    assert valve.market_rank == {"province": 2, "domestic": 7, "global": 40}


def test_the_financial_step_asks_for_exactly_the_yearly_figures_fiscal_year_records_define():
    from criteria.admission.forms import FinancialForm

    fields = dict(FinancialForm.base_fields)
    fields.pop("year")
    assert list(fields) == list(m.FiscalYearRecord.FIGURES) == list(codec.FIGURES)
    assert {name: str(f.label) for name, f in fields.items()} == m.FiscalYearRecord.figure_labels()
    assert all(fields[name].__class__.__name__ == "IntegerField" for name in m.FiscalYearRecord.COUNT_FIGURES)
    assert all(fields[name].decimal_places == 2 for name in m.FiscalYearRecord.MONEY_FIGURES)
    form = FinancialForm({"year": 2025, "operating_profit": "-10", "taxes_paid": "-1"}, years=[2025])
    assert not form.is_valid() and set(form.errors) == {"taxes_paid"}, "signed figures may be negative"


def test_approval_never_writes_back_what_only_staff_set(firm, bob):
    """A declaration copies the firm's industry average margin (S4a reads it) when it starts; staff
    may correct it meanwhile, and approval must not put the old copy back."""
    firm.industry_average_margin = Decimal("8.00")
    firm.save()
    data = codec.from_records(firm, [2025])
    data.setdefault("enterprise", {})["industry_average_margin"] = "8.00"
    data["enterprise"]["years_in_niche"] = 9
    firm.industry_average_margin = Decimal("6.50")      # staff's correction after the firm started
    firm.save()
    codec.to_records(data, firm, bob, 2025)
    firm.refresh_from_db()
    assert firm.industry_average_margin == Decimal("6.50")
    assert firm.years_in_niche == 9
