"""Demo data the scored standard (创新型中小企业, 2022) reads, called by `DemoBuilder.build` last.

The seed's firms carry the records the pass/fail tiers read; this adds what the score reads: each
leading product's field in 《战略性新兴产业分类》 (by trade), high-value and self-developed flags on
the first patent of the larger firms; then, from the small firms without a high-tech certificate,
three whose pass hangs on the field leave it unrecorded (a score range: 待补充), and two short of
the mark get a science award and an honour that pass them by a direct route.  Figures are left
alone, so every pass/fail tier scores as before.  After `evaluate_all` the demo holds firms that
pass by score, pass by a direct route, fall short by one dimension's minimum, and are incomplete
(tests/dashboards/test_demo.py).
"""
from datetime import date

from enterprises import models as m

# trades whose leading product is in 《战略性新兴产业分类》 (the rest are "其他领域")
STRATEGIC_TRADES = ("新材料", "医疗器械", "电子", "生物科技", "智能装备", "软件", "环保设备")
UNRECORDED = 3                # small firms whose field is left unrecorded
DIRECT = 2                    # small firms short of the mark given a direct route


def build(builder):
    from dashboards.demo import LAST_YEAR

    firms = [f for fs in builder.firms_by_arch.values() for f in fs]
    products = list(m.Product.objects.filter(enterprise__in=firms).order_by("pk"))
    for p in products:
        p.strategic_emerging = any(t in p.name for t in STRATEGIC_TRADES)
    m.Product.objects.bulk_update(products, ["strategic_emerging"])

    larger = {f.pk for code in ("national", "province") for f in builder.firms_by_arch.get(code, [])}
    flagged = larger | {f.pk for f in builder.firms_by_arch.get("city", [])}
    first = {}
    for ip in m.IPItem.objects.filter(enterprise__in=flagged, ip_type=m.IPType.INVENTION,
                                      status=m.IPStatus.GRANTED).order_by("pk"):
        first.setdefault(ip.enterprise_id, ip)
    for ip in first.values():
        ip.high_value = ip.enterprise_id in larger
        ip.self_developed = True
    m.IPItem.objects.bulk_update(list(first.values()), ["high_value", "self_developed"])

    plain = [f for f in builder.firms_by_arch.get("small", []) if not f.high_tech_certified]
    results = _scores(plain, LAST_YEAR)
    hanging = [f for f in plain if f.pk in results and results[f.pk].passes
               and results[f.pk].indicator("field").points == 10
               and results[f.pk].sure - 10 < results[f.pk].pass_mark][:UNRECORDED]
    m.Product.objects.filter(enterprise__in=hanging).update(strategic_emerging=None)
    short = [f for f in plain if f.pk in results and not results[f.pk].passes][:DIRECT]
    routes = [(m.RecognitionKind.SCIENCE_AWARD, m.Level.PROVINCE, None, "江苏省科学技术奖三等奖（示范数据）"),
              (m.RecognitionKind.IP_ADVANTAGE, m.Level.NATIONAL, date(LAST_YEAR + 2, 12, 31),
               "国家知识产权优势企业（示范数据）")]
    for firm, (kind, level, valid_until, document) in zip(short, routes):
        m.Recognition.objects.create(enterprise=firm, kind=kind, level=level, year=LAST_YEAR - 1,
                                     valid_until=valid_until, document=document)


def _scores(firms, year):
    """{firm pk: ScoreResult} under the published 创新型中小企业 edition judging `year`."""
    from criteria import engine
    from criteria.models import Edition
    from criteria.profile import build_profiles

    editions = Edition.objects.judging(year, ["innovative_sme"])
    if not editions or not firms:
        return {}
    spec = editions[0].to_spec()
    profiles = build_profiles([f.pk for f in firms], year)
    return {pk: engine.evaluate_tier(p, spec, year).score for pk, p in profiles.items()}
