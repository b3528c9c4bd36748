"""Deterministic demo data: about 160 fictional firms spread over the towns, four fiscal years each.

The figures are shaped by archetype so that a few firms clearly meet each tier's numbers, some fall
just short, and most are small, as in a real county. Names are obviously fictional ("示范").
"""
import functools
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.cn import uscc

from criteria.models import Criterion, StaffJudgment
from enterprises import models as m
from jinhu_portal.roles import Role
from enterprises.services import assign_role

DEMO_PASSWORD = "jinhu2022"


@functools.lru_cache(maxsize=1)
def demo_password_hash():
    """DEMO_PASSWORD hashed once for all ~30 demo logins: each hash is a deliberate third of a second
    (PBKDF2), and one shared salt is harmless for a published demo password."""
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


def give_demo_password(user):
    """Sets a demo login's password (the one hash above) and saves it."""
    user.password = demo_password_hash()
    user.save(update_fields=["password"])
    return user
LAST_YEAR = 2025
YEARS = (LAST_YEAR - 3, LAST_YEAR - 2, LAST_YEAR - 1, LAST_YEAR)

WORDS = ["华", "宏", "金", "瑞", "德", "泰", "恒", "远", "新", "盛", "科", "创", "鑫", "达", "汇", "通",
         "源", "博", "精", "益", "晨", "信", "安", "嘉"]
TRADES = [("阀门", "高端装备"), ("仪表", "高端装备"), ("新材料", "新材料"), ("医疗器械", "大健康"),
          ("石油机械", "高端装备"), ("电子", "新材料"), ("环保设备", "高端装备"), ("生物科技", "大健康"),
          ("精密铸造", "高端装备"), ("智能装备", "高端装备"), ("软件", "新材料"), ("纺织", "新材料")]
CLUSTER_OF = {"高端装备": "高端装备", "新材料": "前沿新材料", "大健康": "生物医药和新型医疗器械"}


@dataclass(frozen=True)
class Archetype:
    code: str
    count: int
    revenue: tuple  # range of operating revenue in the last year, 万元
    growth: tuple  # yearly growth, percent
    margin: tuple  # total profit / revenue, percent
    rd: tuple  # R&D intensity, percent
    rank: tuple  # provincial market-share rank of the leading product
    patents: tuple  # granted invention patents
    level: str  # level of the firm's R&D institution and brand ("" for none)


ARCHETYPES = [
    Archetype("national", 3, (15000, 26000), (9, 14), (9, 13), (4, 6), (1, 2), (4, 8), m.Level.PROVINCE),
    Archetype("province", 5, (6500, 9500), (9, 13), (9, 12), (4, 5.5), (2, 3), (3, 5), m.Level.PROVINCE),
    Archetype("city", 10, (5200, 8000), (6, 9), (5, 8), (3, 4), (3, 8), (2, 3), m.Level.CITY),
    Archetype("county", 30, (2100, 4800), (3, 10), (4, 8), (2, 4), (1, 5), (1, 2), m.Level.CITY),
    Archetype("near", 14, (1850, 1995), (2, 6), (2, 5), (1, 3), (4, 7), (0, 1), m.Level.CITY),
    Archetype("small", 98, (150, 1700), (-8, 12), (-5, 8), (0, 3), (6, 40), (0, 1), ""),
]


JUDGED_BY_ARCHETYPE = {
    "national": ["county_pool", "province_pool", "city_giant", "city_product", "province_giant", "province_product",
                 "national_giant", "national_champion"],
    "province": ["county_pool", "province_pool", "city_giant", "city_product", "province_giant", "province_product"],
    "city": ["county_pool", "province_pool", "city_giant", "city_product"],
    "county": ["county_pool"],
}
JUDGED_TIERS = sorted({t for tiers in JUDGED_BY_ARCHETYPE.values() for t in tiers})


def make_uscc(serial):
    body = f"91320831MA{serial:07d}"
    return body + uscc.calc_check_digit(body + "0")


def _d(x):
    return Decimal(str(round(x, 2)))


class DemoBuilder:
    def __init__(self, seed=2022):
        self.rnd = random.Random(seed)
        self.towns = list(m.Town.objects.order_by("order"))
        self.tags = {t.name: t for t in m.IndustryTag.objects.all()}
        self.serial = 0
        self.showcase = {}
        self.firms_by_arch = {}
        self.unrecorded = {}           # model -> records made in bulk whose history rows are not written yet

    def bulk_create(self, model, objs):
        """bulk_create, and the history rows simple-history writes only for save(): every record gets its
        first history row, so the first edit of a demo figure shows its old value in the 变更记录. The
        rows are written together by `write_history` (once, not once per firm: seeding stays fast)."""
        if not objs:
            return []
        if not connection.features.can_return_rows_from_bulk_insert:   # no ids back: let simple-history find them
            return bulk_create_with_history(objs, model)
        now = timezone.now()
        for obj in objs:
            obj._history_date = now
        objs = model.objects.bulk_create(objs)
        self.unrecorded.setdefault(model, []).extend(objs)
        return objs

    def write_history(self):
        for model, objs in self.unrecorded.items():
            model.history.bulk_history_create(objs, batch_size=500)
        self.unrecorded = {}

    def build(self):
        with transaction.atomic():
            for arch in ARCHETYPES:
                for i in range(arch.count):
                    firm = self.enterprise(arch, i)
                    self.showcase.setdefault(arch.code, firm)
                    self.firms_by_arch.setdefault(arch.code, []).append(firm)
            self.write_history()
            self.users()
            self.judgments()
            self.pool_and_rounds()
            __import__("dashboards.demo_recommendation").demo_recommendation.build(self, LAST_YEAR)  # lists, titles
            __import__("dashboards.demo_plans").demo_plans.build_plans(self)  # plans, tracking officers
            __import__("dashboards.demo_targets").demo_targets.build(self)  # what the targets count
            __import__("dashboards.demo_services_requests").demo_services_requests.build(self)  # requests, tasks
            __import__("dashboards.demo_services_links").demo_services_links.build(self)  # 挂钩帮扶, visits
            __import__("dashboards.demo_scored").demo_scored.build(self)  # what 创新型中小企业's score reads
        return self.showcase

    def pool_and_rounds(self):
        """Pool memberships for the firms in the pool, an open admission round with a few declarations
        waiting for review, and last year's closed data-update round."""
        from datetime import timedelta

        from django.utils import timezone

        from criteria.admission.declaring import initial_data, refresh_score
        from criteria.models import Declaration, Edition, PoolMembership, Round, Status

        PoolMembership.objects.bulk_create(
            PoolMembership(enterprise_id=pk, admitted_on=date(LAST_YEAR - 2, 6, 30))
            for pk in m.Enterprise.objects.filter(pool_status=m.PoolStatus.IN_POOL).values_list("pk", flat=True))
        today = timezone.localdate()
        edition = Edition.objects.get(tier="county_pool", status="published")
        staff = get_user_model().objects.get(username="staff")
        Round.objects.create(title=f"{LAST_YEAR}年度培育库数据更新", kind="data_update", tier="county_pool",
                             year=LAST_YEAR - 1, opens_on=date(LAST_YEAR, 3, 1), closes_on=date(LAST_YEAR, 4, 30),
                             edition=edition, created_by=staff, reminded=True)
        admission = Round.objects.create(
            title=f"{today.year}年县级专精特新培育库入库申报", kind="admission", tier="county_pool", year=LAST_YEAR,
            opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=20), edition=edition,
            created_by=staff, notice="请符合条件的企业在截止日期前完成在线申报并上传佐证材料。")
        for firm in self.firms_by_arch["near"][:4]:
            declaration = Declaration.objects.create(round=admission, enterprise=firm,
                                                     data=initial_data(firm, admission))
            refresh_score(declaration)
            Declaration.objects.filter(pk=declaration.pk).update(status=Status.SUBMITTED, snapshot=declaration.data,
                                                                 submitted_at=timezone.now())

    def judgments(self):
        """Staff decisions on the judgment criteria of the stronger archetypes, as after site visits, so
        that the demo shows eligible firms; the rest are left for staff to judge in the browser."""
        staff = get_user_model().objects.get(username="staff")
        judged = {code: [c for c in Criterion.objects.filter(edition__tier=tier, edition__status="published")
                         .prefetch_related("conditions") if c.is_judgment]
                  for code, tier in [(t, t) for t in JUDGED_TIERS]}
        rows = []
        for arch, tiers in JUDGED_BY_ARCHETYPE.items():
            for firm in self.firms_by_arch.get(arch, []):
                for tier in tiers:
                    for criterion in judged[tier]:
                        rows += [StaffJudgment(enterprise=firm, tier=tier, year=year, code=criterion.code, met=True,
                                               reason="示范数据：经实地走访核实。", decided_by=staff)
                                 for year in (LAST_YEAR - 1, LAST_YEAR)]
        StaffJudgment.objects.bulk_create(rows)

    def enterprise(self, arch, i):
        rnd = self.rnd
        self.serial += 1
        trade, leading = TRADES[self.serial % len(TRADES)]
        name = f"金湖示范{rnd.choice(WORDS)}{rnd.choice(WORDS)}{trade}有限公司（{self.serial:03d}号）"
        high_tech = arch.code in ("national", "province", "city", "county") or rnd.random() < 0.15
        firm = m.Enterprise.objects.create(
            name=name, uscc=make_uscc(self.serial), town=self.towns[self.serial % len(self.towns)],
            category=m.Category.INNOVATION if arch.code == "small" and rnd.random() < 0.2 else m.Category.MANUFACTURING,
            independent_legal_person=True, registered_province="江苏",
            founding_date=date(rnd.randint(2003, 2016), rnd.randint(1, 12), rnd.randint(1, 28)),
            main_business=f"{trade}的研发、生产与销售",
            years_in_niche=rnd.randint(4, 15) if arch.code != "small" else rnd.randint(1, 8),
            years_in_field=rnd.randint(10, 20) if arch.code in ("national", "province") else rnd.randint(2, 12),
            high_tech_certified=high_tech,
            high_tech_valid_from=date(LAST_YEAR - 2, 11, 1) if high_tech else None,
            high_tech_valid_until=date(LAST_YEAR + 1, 10, 31) if high_tech else None,
            own_brand=arch.level != "", contact_person="王经理", contact_phone=f"0517-8{self.serial:06d}",
            liaison_officer="李联络员", industry_average_margin=Decimal("6.50"))
        firm.industry_tags.add(self.tags[leading], self.tags[CLUSTER_OF[leading]])
        self.fiscal_years(firm, arch)
        self.records(firm, arch)
        return firm

    def fiscal_years(self, firm, arch):
        rnd = self.rnd
        revenue = rnd.uniform(*arch.revenue)
        growth = [rnd.uniform(*arch.growth) for _ in YEARS]
        values = []
        for k, year in enumerate(reversed(YEARS)):
            values.append((year, revenue))
            revenue = revenue / (1 + growth[k] / 100)
        rows = []
        for year, rev in sorted(values):
            main = rev * rnd.uniform(0.82, 0.95)
            margin = rnd.uniform(*arch.margin) / 100
            profit = rev * margin
            assets = rev * rnd.uniform(1.0, 1.6)
            employees = max(12, int(rev / 60))
            rows.append(m.FiscalYearRecord(
                enterprise=firm, year=year, operating_revenue=_d(rev), main_business_revenue=_d(main),
                operating_profit=_d(profit * 0.95), total_profit=_d(profit), net_profit=_d(profit * 0.85),
                taxes_paid=_d(rev * 0.04), rd_expense=_d(rev * rnd.uniform(*arch.rd) / 100),
                total_assets=_d(assets), total_liabilities=_d(assets * rnd.uniform(0.3, 0.62)),
                employees=employees, rd_staff=int(employees * rnd.uniform(0.08, 0.2)),
                equity_financing=Decimal("0")))
        self.bulk_create(m.FiscalYearRecord, rows)
        self.products(firm, arch, {r.year: r.main_business_revenue for r in rows})

    def products(self, firm, arch, main_by_year):
        rnd = self.rnd
        rank = rnd.randint(*arch.rank)
        product = m.Product.objects.create(
            enterprise=firm, name=f"{firm.main_business[:-7]}主导产品", rank_province=rank,
            rank_domestic=rank + rnd.randint(1, 4) if arch.code in ("national", "province") else rank + 8,
            supply_chain_customer="示范龙头集团" if arch.code in ("national", "province") else "",
            key_field=arch.code == "national")
        self.bulk_create(m.ProductRevenue, [
            m.ProductRevenue(product=product, year=y, revenue=_d(float(v) * rnd.uniform(0.72, 0.9)))
            for y, v in main_by_year.items()])
        self.product = product

    def records(self, firm, arch):
        rnd = self.rnd
        patents = rnd.randint(*arch.patents)
        ip = [m.IPItem(enterprise=firm, ip_type=m.IPType.INVENTION, status=m.IPStatus.GRANTED,
                       title=f"一种{firm.main_business[:4]}装置（{k + 1}）", number=f"ZL2020{self.serial:04d}{k}",
                       product=self.product) for k in range(patents)]
        ip += [m.IPItem(enterprise=firm, ip_type=m.IPType.UTILITY, status=m.IPStatus.GRANTED,
                        title=f"实用新型（{k + 1}）", number=f"ZL2021{self.serial:04d}{k}") for k in range(rnd.randint(0, 6))]
        if arch.code == "near":
            ip.append(m.IPItem(enterprise=firm, ip_type=m.IPType.INVENTION, status=m.IPStatus.APPLIED,
                               title="一种改进工艺", number=f"CN2024{self.serial:04d}"))
        self.bulk_create(m.IPItem, ip)
        if arch.level:
            m.RDInstitution.objects.create(enterprise=firm, name=f"{m.Level(arch.level).label}企业技术中心",
                                           level=arch.level, recognized_year=LAST_YEAR - 2)
            m.Brand.objects.create(enterprise=firm, name=f"{m.Level(arch.level).label}知名品牌", level=arch.level,
                                   year=LAST_YEAR - 1)
        if arch.code in ("national", "province", "city"):
            m.Certification.objects.create(enterprise=firm, kind=m.CertificationKind.MANAGEMENT_SYSTEM,
                                           name="ISO 9001 质量管理体系认证")
            m.InformationSystem.objects.create(enterprise=firm, kind=m.SystemKind.ERP, name="ERP 系统",
                                               core_business="生产计划与采购")
            m.Standard.objects.create(enterprise=firm, name=f"{firm.main_business[:4]}行业标准",
                                      level=m.StandardLevel.INDUSTRY, role=m.StandardRole.JOINED, year=LAST_YEAR - 1)
        if arch.code == "small" and rnd.random() < 0.06:
            m.BadRecord.objects.create(enterprise=firm, kind=m.BadRecordKind.ENVIRONMENT,
                                       date=date(LAST_YEAR - 1, 6, 1), description="环保处罚（示范数据）")
        if arch.code == "national":
            m.Recognition.objects.create(enterprise=firm, kind=m.RecognitionKind.PROVINCE_GIANT,
                                         level=m.Level.PROVINCE, year=LAST_YEAR - 2, document="苏工信中小〔示范〕号")
        if arch.code in ("national", "province"):
            m.Recognition.objects.create(enterprise=firm, kind=m.RecognitionKind.CITY_GIANT, level=m.Level.CITY,
                                         year=LAST_YEAR - 3, document="淮工信〔示范〕号")
        if arch.code in ("national", "province", "city", "county"):
            firm.pool_status = m.PoolStatus.IN_POOL
            firm.save(update_fields=["pool_status"])

    def users(self):
        User = get_user_model()

        def user(username, full_name, role, **scope):
            return assign_role(give_demo_password(User.objects.create_user(username, first_name=full_name)), role,
                               **scope)

        # People are shown by name (the role and unit are shown beside it), so these are names only.
        admin = give_demo_password(User.objects.create_superuser("admin", first_name="周敏"))
        assign_role(admin, Role.ADMIN)
        user("staff", "张建华", Role.STAFF)
        user("leader", "陈志强", Role.LEADER)
        user("member", "刘晓燕", Role.MEMBER_UNIT, member_unit="keji")
        user("town", "赵文斌", Role.TOWN_OFFICER, town=self.towns[0])
        user("firm", "孙丽", Role.ENTERPRISE, enterprise=self.showcase["national"])


DEMO_USERS = [("admin", Role.ADMIN), ("staff", Role.STAFF), ("leader", Role.LEADER), ("member", Role.MEMBER_UNIT),
              ("town", Role.TOWN_OFFICER), ("firm", Role.ENTERPRISE)]


def build_demo(seed=2022):
    return DemoBuilder(seed).build()
