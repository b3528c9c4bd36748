"""Turn a self-assessment API request body into an engine Profile (pure Python, no Django).

The data is assumed validated (types right).  An absent key or list is unknown (None); a list
that is present, even empty, is the firm's whole list.  Money becomes Decimal via Decimal(str(x)).

Scored tiers also read `ip[].high_value`, `ip[].self_developed`, `products[].strategic_emerging`,
`awards` and `honours` (absent flags: not recorded; an absent list: unknown).

Besides the public request vocabulary (see docs/spec/self-assessment-api.md) this accepts two
keys used by staff-side callers and the case files: `judgments` ({"<tier>.<code>": bool}, staff
decisions) and `enterprise.high_tech_certified` (bool, when no validity dates are known).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping

from .engine import (Award, BadRecord, Brand, Certification, Competition, FiscalYear, InformationSystem,
                     Honour, IPItem, Product, Profile, Recognition, RDInstitution, Standard)

CLUSTER13 = frozenset({
    "新型电力（新能源）装备", "工程机械", "物联网", "前沿新材料", "生物医药和新型医疗器械", "高端纺织",
    "集成电路", "海工装备和高技术船舶", "高端装备", "节能环保", "核心信息技术", "汽车及零部件", "新型显示",
})
STRATEGIC_EMERGING = frozenset({"互联网", "大数据", "云计算", "人工智能", "软件和集成电路", "高端装备制造",
                                "生物医药"})
COUNTY_LEADING = frozenset({"高端装备", "新材料", "大健康"})

#: taxonomy code -> the industry tags it contains (staff may edit these lists).
DEFAULT_TAXONOMIES: dict[str, frozenset[str]] = {
    "cluster13": CLUSTER13,
    "strategic_emerging": STRATEGIC_EMERGING,
    "county_leading": COUNTY_LEADING,
}

MONEY_FIELDS = ("operating_revenue", "main_business_revenue", "operating_profit", "total_profit",
                "net_profit", "taxes_paid", "rd_expense", "total_assets", "total_liabilities",
                "equity_financing")
INT_FIELDS = ("employees", "rd_staff")


def _money(x: Any) -> Decimal | None:
    if x is None or (isinstance(x, str) and x.strip() == ""):
        return None
    return Decimal(str(x))


def _int(x: Any) -> int | None:
    if x is None or (isinstance(x, str) and x.strip() == ""):
        return None
    return int(x)


def _date(x: Any) -> date | None:
    if x is None or x == "":
        return None
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, date):
        return x
    return date.fromisoformat(str(x)[:10])


def _bool(x: Any) -> bool | None:
    return None if x is None else bool(x)


def _list(data: Mapping, key: str, make) -> tuple | None:
    if key not in data or data[key] is None:
        return None
    return tuple(make(item or {}) for item in data[key])


def _supplies(p: Mapping) -> str | None:
    if "supplies_leading_enterprise" not in p:
        return None
    v = p["supplies_leading_enterprise"]
    if v is None or v is False:
        return ""
    if v is True:
        return "是"
    return str(v).strip()


def _product(p: Mapping) -> Product:
    revenue = {int(y): _money(v) for y, v in (p.get("revenue") or {}).items() if _money(v) is not None}
    ranks = {str(s): int(r) for s, r in (p.get("market_rank") or {}).items() if r is not None}
    return Product(name=str(p.get("name", "")), revenue=revenue, market_rank=ranks,
                   supplies_leading_enterprise=_supplies(p), key_field=_bool(p.get("key_field")),
                   strategic_emerging=_bool(p.get("strategic_emerging")))


def _fiscal_year(f: Mapping) -> FiscalYear:
    kw = {k: _money(f.get(k)) for k in MONEY_FIELDS}
    kw.update({k: _int(f.get(k)) for k in INT_FIELDS})
    return FiscalYear(year=int(f["year"]), **kw)


def taxonomy_codes(tags: frozenset[str] | None,
                   taxonomies: Mapping[str, set[str] | frozenset[str]]) -> frozenset[str] | None:
    if tags is None:
        return None
    return frozenset(code for code, members in taxonomies.items() if tags & set(members))


def profile_from_request(data: Mapping, taxonomies: Mapping[str, set[str]] | None = None) -> Profile:
    """Build a Profile from a (validated) self-assessment request body."""
    taxonomies = DEFAULT_TAXONOMIES if taxonomies is None else taxonomies
    ent = data.get("enterprise") or {}
    tags = None
    if ent.get("industry_tags") is not None:
        tags = frozenset(str(t) for t in ent["industry_tags"])
    financials = {}
    for f in data.get("financials") or ():
        fy = _fiscal_year(f)
        financials[fy.year] = fy
    judgments = {str(k): bool(v) for k, v in (data.get("judgments") or {}).items() if v is not None}
    return Profile(
        registered_province=ent.get("registered_province") or None,
        independent_legal_person=_bool(ent.get("independent_legal_person")),
        founding_date=_date(ent.get("founding_date")),
        category=ent.get("category") or None,
        industry_tags=tags,
        taxonomies=taxonomy_codes(tags, taxonomies),
        years_in_niche=_int(ent.get("years_in_niche")),
        years_in_field=_int(ent.get("years_in_field")),
        years_with_new_product=_int(ent.get("years_with_new_product")),
        high_tech_certified=_bool(ent.get("high_tech_certified")),
        high_tech_valid_from=_date(ent.get("high_tech_valid_from")),
        high_tech_valid_until=_date(ent.get("high_tech_valid_until")),
        own_brand=_bool(ent.get("own_brand")),
        industry_average_margin=_money(ent.get("industry_average_margin")),
        financials=financials,
        products=_list(data, "products", _product),
        ip=_list(data, "ip", lambda d: IPItem(type=d.get("type"), status=d.get("status"),
                                               product=d.get("product") or None,
                                               high_value=_bool(d.get("high_value")),
                                               self_developed=_bool(d.get("self_developed")))),
        rd_institutions=_list(data, "rd_institutions",
                              lambda d: RDInstitution(level=d.get("level"), joint=_bool(d.get("joint")))),
        brands=_list(data, "brands", lambda d: Brand(level=d.get("level"))),
        certifications=_list(data, "certifications", lambda d: Certification(kind=d.get("kind"))),
        standards=_list(data, "standards", lambda d: Standard(level=d.get("level"), role=d.get("role"))),
        information_systems=_list(data, "information_systems",
                                  lambda d: InformationSystem(kind=d.get("kind"))),
        competitions=_list(data, "competitions", lambda d: Competition(level=d.get("level"))),
        bad_records=_list(data, "bad_records",
                          lambda d: BadRecord(kind=d.get("kind"), date=_date(d.get("date")))),
        recognitions=_list(data, "recognitions",
                           lambda d: Recognition(tier=d.get("tier"), year=_int(d.get("year")))),
        awards=_list(data, "awards", lambda d: Award(kind=d.get("kind") or "science", level=d.get("level"),
                                                     year=_int(d.get("year")))),
        honours=_list(data, "honours", lambda d: Honour(kind=d.get("kind"), valid_until=_date(d.get("valid_until")),
                                                        level=d.get("level"))),
        claims=frozenset(str(c) for c in (data.get("claims") or ())),
        judgments=judgments,
    )
