"""Build engine Profiles from the database in bulk: a fixed number of queries per chunk of firms,
whatever the number of firms, and no ORM objects (values_list only) to keep memory flat."""
from collections import defaultdict

from enterprises import models as m

from . import engine
from .models import Claim, StaffJudgment
from .profile_input import taxonomy_codes

FIGURES = m.FiscalYearRecord.FIGURES
#: Recognition kinds read as the scored standard's science awards and honours.
AWARD_KINDS = frozenset({m.RecognitionKind.SCIENCE_AWARD})
HONOUR_KINDS = frozenset({m.RecognitionKind.TECH_INNOVATION_DEMO, m.RecognitionKind.IP_ADVANTAGE,
                          m.RecognitionKind.IP_DEMO})
ENTERPRISE_FIELDS = ("id", "registered_province", "independent_legal_person", "founding_date", "category",
                     "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                     "high_tech_valid_from", "high_tech_valid_until", "own_brand", "industry_average_margin")


def _grouped(qs, key="enterprise_id"):
    out = defaultdict(list)
    for row in qs:
        out[row[0]].append(row[1:])
    return out


def taxonomy_map():
    """Taxonomy code -> tag names, as staff keep them; a firm belongs to a list when one of its tags'
    names is on it (so the API, which sends names, and stored firms are judged alike)."""
    out = defaultdict(set)
    for taxonomy, name in m.IndustryTag.objects.values_list("taxonomy", "name"):
        out[taxonomy].add(name)
    return dict(out)


def build_profiles(enterprise_ids, year, *, extra_claims=None):
    """{enterprise_id: Profile} for these firms, with staff judgments and claims of assessment `year`.

    Stored lists are the firm's whole lists (an empty one is known-empty), unlike the API where an
    absent list is unknown.
    """
    ids = list(enterprise_ids)
    if not ids:
        return {}
    firms = m.Enterprise.objects.filter(pk__in=ids).values_list(*ENTERPRISE_FIELDS)
    tags = _grouped(m.Enterprise.industry_tags.through.objects.filter(enterprise_id__in=ids)
                    .values_list("enterprise_id", "industrytag__taxonomy", "industrytag__name"))
    years = _grouped(m.FiscalYearRecord.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "year",
                                                                                          *FIGURES))
    products = _grouped(m.Product.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "id", "name", "rank_province", "rank_domestic", "rank_global", "supply_chain_customer",
        "key_field", "strategic_emerging"))
    revenues = _grouped(m.ProductRevenue.objects.filter(product__enterprise_id__in=ids)
                        .values_list("product_id", "year", "revenue"), key="product_id")

    def rows(model, *fields):
        return _grouped(model.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", *fields))

    # an item tied to a product names it only when the product is the firm's own (a product of
    # another firm is not on this firm's list, whatever its name)
    ip = rows(m.IPItem, "ip_type", "status", "product__name", "product__enterprise_id", "high_value",
              "self_developed")
    rd = rows(m.RDInstitution, "level", "joint")
    brands = rows(m.Brand, "level")
    certs = rows(m.Certification, "kind")
    standards = rows(m.Standard, "level", "role")
    systems = rows(m.InformationSystem, "kind")
    competitions = rows(m.Competition, "level")
    bad = rows(m.BadRecord, "kind", "date")
    recognitions = rows(m.Recognition, "kind", "year", "level", "valid_until")
    judgments = _grouped(StaffJudgment.objects.filter(enterprise_id__in=ids, year=year)
                         .values_list("enterprise_id", "tier", "code", "product", "met"))
    claims = _grouped(Claim.objects.filter(enterprise_id__in=ids, year=year).values_list("enterprise_id", "tier",
                                                                                         "code"))
    taxonomies = taxonomy_map()
    profiles = {}
    for row in firms:
        data = dict(zip(ENTERPRISE_FIELDS, row))
        pk = data.pop("id")
        firm_tags = tags.get(pk, [])
        decided = {f"{t}.{c}@{p}" if p else f"{t}.{c}": met for t, c, p, met in judgments.get(pk, [])}
        claimed = {f"{t}.{c}" for t, c in claims.get(pk, [])} | set((extra_claims or {}).get(pk, ()))
        profiles[pk] = engine.Profile(
            **{k: v for k, v in data.items() if k != "category"},
            category=data["category"] or None,
            industry_tags=frozenset(name for _t, name in firm_tags),
            taxonomies=taxonomy_codes(frozenset(name for _t, name in firm_tags), taxonomies),
            financials={y[0]: engine.FiscalYear(y[0], *y[1:]) for y in years.get(pk, [])},
            products=tuple(
                engine.Product(name=name, revenue={y: v for y, v in revenues.get(pid, []) if v is not None},
                               market_rank={s: r for s, r in (("province", rp), ("domestic", rd_), ("global", rg))
                                            if r is not None},
                               supplies_leading_enterprise=customer or "", key_field=key,
                               strategic_emerging=emerging)
                for pid, name, rp, rd_, rg, customer, key, emerging in products.get(pk, [])),
            ip=tuple(engine.IPItem(type=t, status=s, product=p if owner == pk else None, high_value=hv,
                                   self_developed=sd)
                     for t, s, p, owner, hv, sd in ip.get(pk, [])),
            rd_institutions=tuple(engine.RDInstitution(level=lv, joint=j) for lv, j in rd.get(pk, [])),
            brands=tuple(engine.Brand(level=lv) for (lv,) in brands.get(pk, [])),
            certifications=tuple(engine.Certification(kind=k) for (k,) in certs.get(pk, [])),
            standards=tuple(engine.Standard(level=lv, role=r) for lv, r in standards.get(pk, [])),
            information_systems=tuple(engine.InformationSystem(kind=k) for (k,) in systems.get(pk, [])),
            competitions=tuple(engine.Competition(level=lv) for (lv,) in competitions.get(pk, [])),
            bad_records=tuple(engine.BadRecord(kind=k, date=d) for k, d in bad.get(pk, [])),
            recognitions=tuple(engine.Recognition(tier=k, year=y) for k, y, _lv, _u in recognitions.get(pk, [])),
            # science awards and honours with a validity are recognitions of their own kinds
            awards=tuple(engine.Award(kind="science", level=lv, year=y)
                         for k, y, lv, _u in recognitions.get(pk, []) if k in AWARD_KINDS),
            honours=tuple(engine.Honour(kind=k, valid_until=u, level=lv)
                          for k, _y, lv, u in recognitions.get(pk, []) if k in HONOUR_KINDS),
            claims=frozenset(claimed), judgments=decided)
    return profiles
