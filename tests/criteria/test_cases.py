"""Runs every case in tests/criteria/cases/*.yaml through the engine (no database, no Django).

Case file format (one file per tier):

    tier: county_pool
    edition: 2022
    cases:
      - name: <中文名称>
        assessment_year: 2023
        profile: {...}            # self-assessment API request vocabulary (+ optional judgments)
        expect: {M1: met, ...}    # per criterion code (product criteria: the single product, or
                                  # the "unknown" list under the variant when products are absent)
        actual: {M1: "2000.00"}   # optional
        gap: {M1: "0.01"}         # optional
        branch: {M1: 利税总额}     # optional: label of the met or-branch (also named in explanation)
        verdict: eligible         # optional
        products: {产品名: {P1b: met}}  # optional, per product
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from criteria.engine import editions_from_json, evaluate_tier
from criteria.profile_input import profile_from_request

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent / "cases"
EDITION_FILE = ROOT / "fixtures" / "editions" / "2022.json"


EDITION_DATA = json.loads(EDITION_FILE.read_text(encoding="utf-8"))


def _editions():
    # parsed afresh for each case (under a millisecond), so the cases test the parser too
    return {e.tier: e for e in editions_from_json(EDITION_DATA)}


EDITIONS = _editions()


def _load_cases():
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("scored"):             # scored tiers have their own runner (test_scored_cases.py)
            continue
        tier = doc["tier"]
        for i, case in enumerate(doc["cases"], 1):
            out.append(pytest.param(tier, case, id=f"{path.stem}-{i:03d}-{case['name']}"))
    return out


CASES = _load_cases()


def _find(result, code, product=None):
    if product is not None:
        return result.criterion(code, product)
    found = result.criterion(code)
    if found is None and len(result.products) == 1:
        found = result.criterion(code, result.products[0].name)
    return found


def _describe(c):
    return f"{c.code}: result={c.result} actual={c.actual} gap={c.gap} branch={c.branch} — {c.explanation}"


@pytest.mark.parametrize("tier,case", CASES)
def test_case(tier, case):
    edition = _editions()[tier]
    profile = profile_from_request(case.get("profile") or {})
    result = evaluate_tier(profile, edition, int(case["assessment_year"]))

    for code, expected in (case.get("expect") or {}).items():
        c = _find(result, code)
        assert c is not None, f"{code} not in result"
        assert c.result == expected, _describe(c)
    for product, exp in (case.get("products") or {}).items():
        for code, expected in exp.items():
            c = _find(result, code, product)
            assert c is not None, f"{product}/{code} not in result"
            assert c.result == expected, f"{product} " + _describe(c)
    for code, expected in (case.get("actual") or {}).items():
        c = _find(result, code)
        assert c.actual == str(expected), _describe(c)
    for code, expected in (case.get("gap") or {}).items():
        c = _find(result, code)
        assert c.gap == str(expected), _describe(c)
    for code, expected in (case.get("branch") or {}).items():
        c = _find(result, code)
        assert c.branch == expected, _describe(c)
        assert expected in c.explanation, _describe(c)
    if "verdict" in case:
        assert result.verdict == case["verdict"], json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    # the response shape is always serialisable
    json.dumps(result.to_dict(), ensure_ascii=False)


def test_every_criterion_has_cases():
    """Each criterion of every tier appears in at least 4 cases, with met, not_met and unknown."""
    seen: dict[tuple[str, str], set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for p in CASES:
        tier, case = p.values
        exp = dict(case.get("expect") or {})
        for per in (case.get("products") or {}).values():
            exp.update(per)
        for code, r in exp.items():
            seen.setdefault((tier, code), set()).add(r)
            counts[(tier, code)] = counts.get((tier, code), 0) + 1
    for tier, ed in EDITIONS.items():
        for crit in ed.criteria:
            key = (tier, crit.code)
            assert counts.get(key, 0) >= 4, key
            assert {"met", "not_met", "unknown"} <= seen[key], (key, seen[key])
            if any(c.metric == "judgment" for c in crit.conditions):
                assert "needs_review" in seen[key], key


def test_edition_file_has_all_tiers():
    assert set(EDITIONS) == {"county_pool", "province_pool", "city_giant", "city_product",
                             "province_giant", "province_product", "national_giant",
                             "national_champion"}
