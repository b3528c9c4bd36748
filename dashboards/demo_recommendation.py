"""Demo data for moving firms up: a frozen city_giant recommendation list for the demo's last year
(one firm removed with a note, submitted, then recognised / not passed / still waiting), and
recognitions of every kind the plan's targets count (docs/spec/targets.md), spread over the plan's
years, so the list, the recognition pages and the targets have something to show.

Deterministic: it picks firms by archetype and order, never at random.
"""
from datetime import date

from django.contrib.auth import get_user_model

from criteria.admission import recommendation as rec
from criteria.models import Outcome
from criteria.services import evaluate_all
from enterprises import models as m

K, L = m.RecognitionKind, m.Level

# (archetype, index among its firms, kind, level, years before the last year, document)
TITLES = [
    ("national", 0, K.NATIONAL_GIANT, L.NATIONAL, 2, "工信部企业函〔示范〕1号"),
    ("national", 1, K.NATIONAL_GIANT, L.NATIONAL, 1, "工信部企业函〔示范〕2号"),
    ("national", 0, K.NATIONAL_CHAMPION, L.NATIONAL, 0, "工信部联政法〔示范〕3号"),
    ("province", 0, K.PROVINCE_GIANT, L.PROVINCE, 2, "苏工信中小〔示范〕11号"),
    ("province", 1, K.PROVINCE_GIANT, L.PROVINCE, 1, "苏工信中小〔示范〕12号"),
    ("province", 2, K.PROVINCE_GIANT, L.PROVINCE, 0, "苏工信中小〔示范〕13号"),
    ("county", 0, K.PROVINCE_POOL, L.PROVINCE, 3, "苏工信〔示范〕21号"),
    ("county", 1, K.PROVINCE_POOL, L.PROVINCE, 2, "苏工信〔示范〕22号"),
    ("county", 2, K.PROVINCE_POOL, L.PROVINCE, 1, "苏工信〔示范〕23号"),
    ("county", 3, K.CITY_POOL, L.CITY, 3, "淮工信〔示范〕31号"),
    ("county", 4, K.CITY_POOL, L.CITY, 2, "淮工信〔示范〕32号"),
    ("county", 5, K.CITY_POOL, L.CITY, 1, "淮工信〔示范〕33号"),
    ("county", 6, K.CITY_POOL, L.CITY, 1, "淮工信〔示范〕33号"),
    ("province", 0, K.RD_INSTITUTION, L.PROVINCE, 2, "苏发改高技〔示范〕41号"),
    ("national", 2, K.RD_INSTITUTION, L.PROVINCE, 1, "苏工信技术〔示范〕42号"),
    ("province", 3, K.FIRST_SET, L.PROVINCE, 2, "苏工信装备〔示范〕51号"),
    ("national", 1, K.FIRST_SET, L.PROVINCE, 1, "苏工信装备〔示范〕52号"),
    ("province", 4, K.SMART_WORKSHOP, L.PROVINCE, 2, "苏工信数字〔示范〕61号"),
    ("city", 0, K.SMART_WORKSHOP, L.PROVINCE, 1, "苏工信数字〔示范〕62号"),
    ("city", 1, K.IIOT_BENCHMARK, L.CITY, 2, "淮工信〔示范〕71号"),
    ("national", 2, K.IIOT_BENCHMARK, L.PROVINCE, 1, "苏工信数字〔示范〕72号"),
    ("county", 7, K.ENERGY_RETROFIT, L.COUNTY, 3, "金工信〔示范〕81号"),
    ("county", 8, K.ENERGY_RETROFIT, L.COUNTY, 2, "金工信〔示范〕82号"),
    ("city", 2, K.ENERGY_RETROFIT, L.CITY, 1, "淮工信〔示范〕83号"),
    ("city", 3, K.QUALITY_AWARD, L.CITY, 2, "淮政发〔示范〕91号"),
    ("province", 1, K.QUALITY_AWARD, L.PROVINCE, 1, "苏政发〔示范〕92号"),
    ("national", 0, K.JIANGSU_JINGPIN, L.PROVINCE, 2, "苏市监〔示范〕101号"),
    ("province", 2, K.JIANGSU_JINGPIN, L.PROVINCE, 1, "苏市监〔示范〕102号"),
    ("county", 9, K.SERVICE_PLATFORM, L.PROVINCE, 1, "苏工信中小〔示范〕111号"),
    ("county", 10, K.INNOVATION_BASE, L.PROVINCE, 2, "苏工信中小〔示范〕121号"),
]


def recognitions(builder, last_year):
    rows = []
    for arch, index, kind, level, back, document in TITLES:
        firm = builder.firms_by_arch[arch][index]
        year = last_year - back
        rows.append(m.Recognition(enterprise=firm, kind=kind, level=level, year=year, document=document,
                                  granted_on=date(year, 6 + index % 6, 10 + index), note="示范数据"))
    m.Recognition.objects.bulk_create(rows)


def city_giant_list(last_year):
    """The list as staff would have made it: generated from the stored evaluation (the firms that
    meet the tier), two firms missing one rule added with a note, one removed with a note, frozen,
    submitted to the city, and partly decided."""
    staff = get_user_model().objects.get(username="staff")
    evaluate_all(last_year, tiers=["city_giant"], user=staff)
    lst = rec.generate("city_giant", last_year, user=staff, max_missed=0,
                       title=f"{last_year}年度淮安市专精特新小巨人企业推荐名单")
    on_list = set(lst.entries.values_list("enterprise_id", flat=True))
    near = sorted(((standing, firm_id) for firm_id, standing in (
        (firm_id, rec.standing_of(*found)) for firm_id, found in rec.latest_outcomes("city_giant", last_year).items())
        if firm_id not in on_list and standing.missed == 1 and not standing.open),
        key=lambda pair: (pair[0].gaps[0]["code"], pair[1]))
    for standing, firm_id in near[:2]:
        code = standing.gaps[0]["code"]
        rec.add(lst, m.Enterprise.objects.get(pk=firm_id),
                f"仅{code}一项未达标，差距较小，所在镇建议推荐。", user=staff)
    entries = list(lst.entries.filter(removed=False).select_related("enterprise").order_by("position"))
    if len(entries) > 3:
        rec.remove(entries[2], "经与所在镇核实，企业今年扩建厂房、主导产品调整，申请下一年度再推荐。")
        entries.pop(2)
    rec.freeze(lst, staff)
    rec.recommend_all(lst, date(last_year + 1, 3, 20), "金工信〔示范〕18号")
    decided = date(last_year + 1, 8, 28)
    for i, entry in enumerate(entries):
        if i < max(1, len(entries) // 2):
            rec.set_outcome(entry, Outcome.RECOGNISED, decided, "淮工信〔示范〕56号")
        elif i == len(entries) - 1:
            rec.set_outcome(entry, Outcome.NOT_PASSED, decided, "淮工信〔示范〕56号")
    return lst


def build(builder, last_year):
    recognitions(builder, last_year)
    return city_giant_list(last_year)
