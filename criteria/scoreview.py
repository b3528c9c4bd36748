"""A scored tier's result as a page shows it (创新型中小企业 and any other scored edition).

One shape for the firm page, the self-assessment page, cultivation plans and what-if: points per
indicator with the band reached and the band above it, points per dimension against its minimum,
the total (sure–best) against the pass mark, the direct route met and the cheapest way to pass in
words.  Numbers stay numbers (Fractions shown through `engine.points_value`); the words are made
here, from the engine's result, never stored.
"""
from fractions import Fraction

from . import engine

ROUTE_LABELS = {"score": "按得分通过", "direct": "按直通条件通过"}
INDICATOR_RESULT_LABELS = {engine.SCORED: "已评分", engine.UNSCORED: "缺数据"}
DIRECT_RESULT_LABELS = {engine.MET: "已满足", engine.NOT_MET: "未满足", engine.UNKNOWN: "待补充数据",
                        engine.NEEDS_REVIEW: "待审核"}


def pts(value):
    """Points as text: 15, 12.50; None stays None."""
    return engine.points_value(value)


def steps_in_words(steps, indicators=None):
    """The cheapest way to pass in one sentence: "研发费用占营业收入比重再提高1.50个百分点，可得+5分；…"."""
    parts = [f"{s.change}，可得+{pts(s.points)}分" for s in steps]
    return "；".join(parts)


def _indicator(ind, dims):
    nxt = ind.next
    unit = ind.unit or ""
    if nxt is None:
        next_text = "已达最高档" if ind.result == engine.SCORED else ""
    elif nxt.gap is not None:
        word = "个百分点" if unit == "%" else unit
        next_text = f"{nxt.needs}{unit}得{pts(nxt.points)}分（差{nxt.gap}{word}）"
    else:
        next_text = f"{nxt.needs}：{pts(nxt.points)}分"
    return {"code": ind.code, "text": ind.text, "dimension": ind.dimension,
            "dimension_name": dims.get(ind.dimension, ind.dimension), "result": ind.result,
            "result_label": INDICATOR_RESULT_LABELS.get(ind.result, ind.result),
            "points": pts(ind.points), "max": pts(ind.max), "actual": ind.actual, "unit": unit,
            "band": ind.band, "next_points": pts(nxt.points) if nxt else None, "next_text": next_text,
            "explanation": ind.explanation, "full": ind.points is not None and ind.points >= ind.max}


def score_view(result):
    """Plain dicts for the score block of a scored TierResult; None for a pass/fail tier."""
    score = getattr(result, "score", None)
    if score is None:
        return None
    dims = {d.code: d.name for d in score.dimensions}
    dimensions = [{"code": d.code, "name": d.name, "sure": pts(d.sure), "best": pts(d.best), "max": pts(d.max),
                   "minimum": pts(d.minimum), "ok": d.sure >= d.minimum, "possible": d.best >= d.minimum,
                   "short": pts(max(Fraction(0), d.minimum - d.sure))}
                  for d in score.dimensions]
    routes = [{"code": r.code, "text": r.text, "result": r.result,
               "result_label": DIRECT_RESULT_LABELS.get(r.result, r.result), "explanation": r.explanation}
              for r in result.direct_routes]
    texts = {i.code: i.text for i in score.indicators}
    cheapest = [{"indicator": s.indicator, "text": texts.get(s.indicator, s.indicator), "points": pts(s.points),
                 "change": s.change} for s in result.cheapest_pass]
    short_dims = [d for d in dimensions if not d["ok"]]
    return {
        "verdict": result.verdict, "route": result.route or "", "route_label": ROUTE_LABELS.get(result.route, ""),
        "sure": pts(score.sure), "best": pts(score.best), "pass_mark": pts(score.pass_mark),
        "max": pts(sum((d.max for d in score.dimensions), Fraction(0))),
        "ranged": score.sure != score.best, "passes": score.passes, "short": pts(score.short),
        "total_ok": score.sure >= score.pass_mark, "dimensions": dimensions, "short_dimensions": short_dims,
        "indicators": [_indicator(i, dims) for i in score.indicators],
        "direct_routes": routes, "direct_met": [r for r in routes if r["result"] == engine.MET],
        "cheapest": cheapest, "cheapest_words": steps_in_words(result.cheapest_pass),
        "summary": summary_words(result, with_steps=False),
    }


def summary_words(result, *, with_steps=True):
    """One sentence: where the firm stands and what passes it (with the cheapest way in words)."""
    score = result.score
    total = f"确定得分{pts(score.sure)}分" + (f"（最高可能{pts(score.best)}分）" if score.best != score.sure else "")
    mark = f"及格线{pts(score.pass_mark)}分"
    if result.route == "score":
        return f"{total}，达到{mark}且各维度均达到最低分，按得分通过。"
    if result.route == "direct":
        met = next((r.text for r in result.direct_routes if r.result == engine.MET), "")
        return f"{total}；满足直通条件“{met}”，直接通过。" if met else f"{total}；满足直通条件，直接通过。"
    lacks = []
    if score.sure < score.pass_mark:
        lacks.append(f"距{mark}差{pts(score.pass_mark - score.sure)}分")
    lacks += [f"{d.name}{pts(d.sure)}分，低于最低{pts(d.minimum)}分" for d in score.dimensions if d.sure < d.minimum]
    text = f"{total}，" + "；".join(lacks) if lacks else total
    if result.cheapest_pass and with_steps:
        text += f"。最省的过线办法：{steps_in_words(result.cheapest_pass)}"
    elif not result.cheapest_pass and result.verdict == engine.NOT_ELIGIBLE:
        text += "。仅靠提高各项得分无法过线，可考虑直通条件"
    return text + "。"

