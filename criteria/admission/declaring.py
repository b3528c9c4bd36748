"""A declaration's data, in the self-assessment vocabulary: pre-filled from what the portal already
knows, scored by the engine as the firm types, and written back to the records when approved."""
import dataclasses
from decimal import Decimal

from django.db import transaction

from enterprises import models as m

from criteria import engine
from criteria.models import Claim

from .models import Declaration, PoolMembership, RoundKind
from criteria.profile import build_profiles, taxonomy_map
from criteria.profile_input import MONEY_FIELDS, profile_from_request

FIGURES = MONEY_FIELDS + ("employees", "rd_staff")
ENTERPRISE_KEYS = ("registered_province", "independent_legal_person", "founding_date", "category",
                   "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                   "high_tech_valid_from", "high_tech_valid_until", "own_brand")
# What the firm declares; recognitions, bad records and staff judgments stay with staff.
DECLARED_LISTS = ("products", "ip", "rd_institutions", "brands", "certifications", "standards",
                  "information_systems", "competitions")


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def stored_data(enterprise, years):
    """What the portal holds for the firm, as a declaration would say it."""
    firm = enterprise
    data = {"enterprise": {k: _plain(getattr(firm, k)) for k in ENTERPRISE_KEYS},
            "financials": [], "claims": []}
    data["enterprise"]["industry_tags"] = list(firm.industry_tags.values_list("name", flat=True))
    for fy in firm.fiscal_years.filter(year__in=years).order_by("year"):
        data["financials"].append({"year": fy.year, **{f: _plain(getattr(fy, f)) for f in FIGURES}})
    data["products"] = [
        {"name": p.name, "revenue": {str(r.year): _plain(r.revenue) for r in p.revenues.all() if r.year in years},
         "market_rank": {s: getattr(p, f"rank_{s}") for s in ("province", "domestic", "global")
                         if getattr(p, f"rank_{s}") is not None},
         "supplies_leading_enterprise": p.supply_chain_customer, "key_field": p.key_field}
        for p in firm.products.prefetch_related("revenues")]
    data["ip"] = [{"type": i.ip_type, "status": i.status, "title": i.title, "number": i.number,
                   "product": i.product.name if i.product else ""} for i in firm.ipitems.select_related("product")]
    data["rd_institutions"] = [{"name": r.name, "level": r.level, "joint": r.joint} for r in firm.rdinstitutions.all()]
    data["brands"] = [{"name": b.name, "level": b.level} for b in firm.brands.all()]
    data["certifications"] = [{"name": c.name, "kind": c.kind} for c in firm.certifications.all()]
    data["standards"] = [{"name": s.name, "level": s.level, "role": s.role} for s in firm.standards.all()]
    data["information_systems"] = [{"kind": s.kind} for s in firm.informationsystems.all()]
    data["competitions"] = [{"name": c.name, "level": c.level} for c in firm.competitions.all()]
    return data


def initial_data(enterprise, round_):
    """Stored records first (they are what staff approved), then the firm's last declaration for
    whatever the records lack, so nothing is typed twice."""
    data = stored_data(enterprise, round_.years)
    last = (Declaration.objects.filter(enterprise=enterprise).exclude(round=round_)
            .order_by("-updated_at").values_list("data", flat=True).first())
    if last:
        have = {f["year"] for f in data["financials"]}
        data["financials"] += [f for f in last.get("financials", []) if f.get("year") in round_.years
                               and f.get("year") not in have]
        data["financials"].sort(key=lambda f: f["year"])
        for key in DECLARED_LISTS:
            if not data.get(key) and last.get(key):
                data[key] = last[key]
    for year in round_.years:
        if year not in {f["year"] for f in data["financials"]}:
            data["financials"].append({"year": year})
    data["financials"].sort(key=lambda f: f["year"])
    return data


def score(declaration):
    """The engine's verdict on the declared data, with the recognitions, bad records and staff
    judgments the portal holds for the firm."""
    round_ = declaration.round
    stored = build_profiles([declaration.enterprise_id], round_.year)[declaration.enterprise_id]
    declared = profile_from_request(declaration.data, taxonomy_map())
    profile = dataclasses.replace(declared, recognitions=stored.recognitions, bad_records=stored.bad_records,
                                  judgments=stored.judgments, claims=declared.claims | stored.claims)
    return engine.evaluate_tier(profile, round_.edition.to_spec(), round_.year)


def refresh_score(declaration):
    result = score(declaration)
    declaration.verdict = result.verdict
    declaration.met, declaration.missed, _open = engine.tally(result)
    declaration.save(update_fields=["verdict", "met", "missed", "data", "updated_at"])
    return result


def _money(value):
    return None if value in (None, "") else Decimal(str(value))


@transaction.atomic
def apply_to_records(declaration, user):
    """Approval writes the declared data to the firm's records (with history), and admits it to the
    pool when the round is an admission round."""
    data = declaration.snapshot or declaration.data
    firm = declaration.enterprise
    firm._history_user = user
    for key, value in (data.get("enterprise") or {}).items():
        if key in ENTERPRISE_KEYS and value not in (None, ""):
            setattr(firm, key, value)
    firm.full_clean(exclude=["town", "industry_tags"])
    firm.save()
    if (data.get("enterprise") or {}).get("industry_tags") is not None:
        firm.industry_tags.set(m.IndustryTag.objects.filter(name__in=data["enterprise"]["industry_tags"]))
    for fy in data.get("financials", []):
        figures = {f: (fy.get(f) if f in ("employees", "rd_staff") else _money(fy.get(f))) for f in FIGURES}
        if any(v is not None for v in figures.values()):
            record = m.FiscalYearRecord.objects.filter(enterprise=firm, year=fy["year"]).first() \
                or m.FiscalYearRecord(enterprise=firm, year=fy["year"])
            for f, v in figures.items():
                if v is not None:
                    setattr(record, f, v)
            record._history_user = user
            record.full_clean()
            record.save()
    for p in data.get("products") or []:
        ranks = p.get("market_rank") or {}
        product, _created = m.Product.objects.update_or_create(
            enterprise=firm, name=p["name"],
            defaults={"rank_province": ranks.get("province"), "rank_domestic": ranks.get("domestic"),
                      "rank_global": ranks.get("global"), "key_field": bool(p.get("key_field")),
                      "supply_chain_customer": p.get("supplies_leading_enterprise") or ""})
        for year, revenue in (p.get("revenue") or {}).items():
            m.ProductRevenue.objects.update_or_create(product=product, year=int(year),
                                                      defaults={"revenue": _money(revenue)})
    products = {p.name: p for p in firm.products.all()}
    known = set(firm.ipitems.values_list("ip_type", "title", "number"))
    m.IPItem.objects.bulk_create(
        m.IPItem(enterprise=firm, ip_type=i["type"], status=i.get("status") or "granted", title=i.get("title") or "",
                 number=i.get("number") or "", product=products.get(i.get("product") or ""))
        for i in data.get("ip") or [] if (i["type"], i.get("title") or "", i.get("number") or "") not in known)
    _replace(firm.rdinstitutions, m.RDInstitution, firm, data.get("rd_institutions"),
             lambda r: {"name": r.get("name") or "研发机构", "level": r["level"], "joint": bool(r.get("joint"))})
    _replace(firm.brands, m.Brand, firm, data.get("brands"),
             lambda b: {"name": b.get("name") or "品牌", "level": b["level"]})
    _replace(firm.certifications, m.Certification, firm, data.get("certifications"),
             lambda c: {"name": c.get("name") or c["kind"], "kind": c["kind"]})
    _replace(firm.standards, m.Standard, firm, data.get("standards"),
             lambda s: {"name": s.get("name") or "标准", "level": s["level"], "role": s["role"]})
    _replace(firm.informationsystems, m.InformationSystem, firm, data.get("information_systems"),
             lambda s: {"kind": s["kind"]})
    _replace(firm.competitions, m.Competition, firm, data.get("competitions"),
             lambda c: {"name": c.get("name") or "创新大赛", "level": c["level"]})
    for claim in data.get("claims") or []:
        tier, _dot, code = claim.partition(".")
        Claim.objects.get_or_create(enterprise=firm, tier=tier, year=declaration.round.year, code=code)
    if declaration.round.kind == RoundKind.ADMISSION:
        admit(firm, declaration)


def _replace(manager, model, firm, items, fields):
    """A declared list is the firm's whole list of that kind (as in the self-assessment API)."""
    if items is None:
        return
    manager.all().delete()
    model.objects.bulk_create(model(enterprise=firm, **fields(item)) for item in items)


def admit(firm, declaration=None, on=None):
    from django.utils import timezone

    if PoolMembership.objects.filter(enterprise=firm, left_on__isnull=True).exists():
        return None
    membership = PoolMembership.objects.create(
        enterprise=firm, admitted_on=on or timezone.localdate(), declaration=declaration,
        round=declaration.round if declaration else None)
    m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.IN_POOL)
    return membership


def move_out(firm, reason, on=None):
    from django.utils import timezone

    PoolMembership.objects.filter(enterprise=firm, left_on__isnull=True).update(
        left_on=on or timezone.localdate(), leave_reason=reason)
    m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.MOVED_OUT)
