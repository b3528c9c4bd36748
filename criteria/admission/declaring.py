"""A declaration's data, in the self-assessment vocabulary: pre-filled from what the portal already
knows, scored by the engine as the firm types; and the pool it admits a firm to. The conversions
between records, the declaration's JSON and the step forms are the codec's (codec.py)."""
import dataclasses

from django.utils import timezone

from enterprises import models as m

from criteria import engine
from criteria.profile import build_profiles, taxonomy_map
from criteria.profile_input import profile_from_request

from . import codec
from .models import Declaration, PoolMembership


def initial_data(enterprise, round_):
    """Stored records first (they are what staff approved), then the firm's last declaration for
    whatever the records lack, so nothing is typed twice."""
    data = codec.from_records(enterprise, round_.years)
    last = (Declaration.objects.filter(enterprise=enterprise).exclude(round=round_)
            .order_by("-updated_at").values_list("data", flat=True).first())
    if last:
        have = {f["year"] for f in data["financials"]}
        data["financials"] += [f for f in last.get("financials", []) if f.get("year") in round_.years
                               and f.get("year") not in have]
        data["financials"].sort(key=lambda f: f["year"])
        for key in codec.DECLARED_LISTS:
            if not data.get(key) and last.get(key):
                data[key] = last[key]
    for year in round_.years:
        if year not in {f["year"] for f in data["financials"]}:
            data["financials"].append({"year": year})
    data["financials"].sort(key=lambda f: f["year"])
    return data


def score(declaration):
    """The engine's verdict on the declared data, with the recognitions (science awards and honours
    included), bad records and staff
    judgments the portal holds for the firm."""
    round_ = declaration.round
    stored = build_profiles([declaration.enterprise_id], round_.year)[declaration.enterprise_id]
    declared = profile_from_request(declaration.data, taxonomy_map())
    profile = dataclasses.replace(declared, recognitions=stored.recognitions, awards=stored.awards,
                                  honours=stored.honours, bad_records=stored.bad_records,
                                  judgments=stored.judgments, claims=declared.claims | stored.claims)
    return engine.evaluate_tier(profile, round_.edition.to_spec(), round_.year)


def refresh_score(declaration):
    result = score(declaration)
    declaration.verdict = result.verdict
    declaration.met, declaration.missed, _open = engine.tally(result)
    declaration.save(update_fields=["verdict", "met", "missed", "data", "updated_at"])
    return result


def in_pool(enterprise_id):
    return PoolMembership.objects.filter(enterprise_id=enterprise_id, left_on__isnull=True).exists()


def admit(firm, declaration=None, on=None):
    """Admit the firm to the county pool; a firm already in it stays as it is (returns None)."""
    if in_pool(firm.pk):
        return None
    membership = PoolMembership.objects.create(
        enterprise=firm, admitted_on=on or timezone.localdate(), declaration=declaration,
        round=declaration.round if declaration else None)
    m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.IN_POOL)
    return membership


def move_out(firm, reason, on=None):
    PoolMembership.objects.filter(enterprise=firm, left_on__isnull=True).update(
        left_on=on or timezone.localdate(), leave_reason=reason)
    m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.MOVED_OUT)
