"""The public self-assessment page (政策计算器): a form for the main figures, the answer as tables.

The form builds the same request body as the API (docs/spec/self-assessment-api.md) and runs the
same validation and evaluation (`criteria.selfassess.run_self_assessment`); nothing is stored.
With htmx the results panel is replaced in place; without JavaScript a plain POST re-renders the page.

The answer opens with a summary (`summarize`): the tiers the firm qualifies for, those it nearly
does (one or two rules missed), those waiting only on data or on staff judgment, and what it lacks
most (the kinds of rule missed in the most tiers, with the gaps).  A judgment rule the firm has not
claimed reads "待工作人员判断", not "缺数据": no figure the firm could add would decide it.
"""
from decimal import Decimal, InvalidOperation

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from enterprises.models import (
    CertificationKind,
    StandardLevel,
    StandardRole,
    SystemKind,
)
from jinhu_portal.forms import DateInput

from ..api import rate_limited
from ..engine import ELIGIBLE, INCOMPLETE, MET, NOT_ELIGIBLE, NOT_MET, UNKNOWN, decisive_rows
from ..metrics import (
    BAD_RECORD_KINDS,
    FIGURES,
    IP_TYPES,
    LEVEL_LABELS,
    LEVELS,
    METRICS,
    MONEY_FIGURES,
)
from ..models import Edition, Tier
from ..models.evaluations import Result
from ..scoreview import score_view, steps_in_words
from ..selfassess import SelfAssessmentError, run_self_assessment, taxonomies
from ..services import default_year

PAGE_RATE_GROUP = "criteria.self_assessment_page"
YEAR_OFFSETS = (0, 1, 2, 3)
SIGNED_FIGURES = {"operating_profit", "total_profit", "net_profit"}
IP_STATUS_COLUMNS = (("granted", "已授权"), ("applied", "已申请（未授权）"))

RESULT_LABELS = dict(Result.choices)
AWAITING_JUDGMENT = "awaiting_judgment"
AWAITING_JUDGMENT_LABEL = "待工作人员判断"
VERDICT_LABELS = {ELIGIBLE: "符合条件", INCOMPLETE: "待补充（缺数据或待工作人员判断）", NOT_ELIGIBLE: "不符合条件"}
#: A tier missing this many rules or fewer (and at least one) is "nearly" met.
NEAR_MISS = 2
#: How many kinds of rule "what it lacks most" lists.
LACKING_SHOWN = 3
#: The engine says "无法判断" when a figure is missing; a judgment nobody has made says "需工作人员判断".
MISSING_DATA_MARK = "无法判断"
VERDICT_CLASSES = {ELIGIBLE: "bg-success", INCOMPLETE: "bg-warning text-dark", NOT_ELIGIBLE: "bg-danger"}

UNSET = ("", "未填写")
NONE = "none"
TRI = [UNSET, ("yes", "是"), ("no", "否")]
LEVEL_CHOICES = [UNSET, (NONE, "无")] + [(k, LEVEL_LABELS[k]) for k in LEVELS]
STANDARD_CHOICES = [UNSET, (NONE, "无")] + list(StandardLevel.choices)

PATH_LABELS = {
    "assessment_year": "评估年度", "tiers": "评估层级", "enterprise": "企业信息", "financials": "财务数据",
    "products": "主导产品", "ip": "知识产权", "rd_institutions": "研发机构", "brands": "品牌",
    "certifications": "认证", "standards": "标准", "information_systems": "信息系统", "competitions": "创新大赛",
    "bad_records": "不良行为记录", "recognitions": "已获认定", "claims": "自我声明", "body": "提交的数据",
    "year": "年度", "revenue": "销售收入", "market_rank": "市场占有率排名", "province": "省内", "domestic": "国内",
    "category": "企业类别", "industry_average_margin": "同期同行业利润率", "founding_date": "成立日期",
    **FIGURES,
}


def _tri(value):
    return {"yes": True, "no": False}.get(value)


def _label_path(path):
    """"financials[1].operating_revenue" -> "财务数据第2条 · 营业收入"."""
    import re

    parts = []
    for name, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path or "body"):
        label = PATH_LABELS.get(name, name)
        parts.append(f"{label}第{int(index) + 1}条" if index else label)
    return " · ".join(parts)


class SelfAssessmentForm(forms.Form):
    assessment_year = forms.IntegerField(
        label="评估年度", min_value=1900, max_value=2100, required=False,
        help_text="上一个完整会计年度：2024年申报使用2023年的财务数据。")
    tiers = forms.MultipleChoiceField(label="评估层级（不选则评估全部）", choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    category = forms.ChoiceField(label="企业类别", choices=[UNSET, ("M", "制造类"), ("I", "创新类")], required=False)
    registered_province = forms.CharField(label="注册地（省）", max_length=20, required=False, initial="江苏")
    independent_legal_person = forms.ChoiceField(label="具有独立法人资格", choices=TRI, required=False)
    founding_date = forms.DateField(label="成立日期", required=False,
                                    widget=DateInput())
    industry_tags = forms.MultipleChoiceField(label="所属产业（可多选）", required=False,
                                              widget=forms.CheckboxSelectMultiple)
    years_in_niche = forms.IntegerField(label="从事细分市场年限（年）", min_value=0, max_value=500, required=False)
    years_in_field = forms.IntegerField(label="从事相关业务领域年限（年）", min_value=0, max_value=500, required=False)
    years_with_new_product = forms.IntegerField(label="从事新产品生产经营年限（年）", min_value=0, max_value=500,
                                                required=False)
    high_tech_valid_from = forms.DateField(label="高新技术企业证书有效期起", required=False,
                                           widget=DateInput())
    high_tech_valid_until = forms.DateField(label="高新技术企业证书有效期止", required=False,
                                            widget=DateInput())
    own_brand = forms.ChoiceField(label="拥有自主品牌", choices=TRI, required=False)
    industry_average_margin = forms.DecimalField(label="同期同行业利润率（%）", min_value=0, max_value=100,
                                                 max_digits=8, decimal_places=4, required=False)

    ip_tied = forms.BooleanField(label="已授权知识产权用于主导产品一", required=False)
    rd_level = forms.ChoiceField(label="研发机构最高级别", choices=LEVEL_CHOICES, required=False)
    rd_joint = forms.BooleanField(label="与高校或科研院所联合共建", required=False)
    brand_level = forms.ChoiceField(label="品牌最高级别", choices=LEVEL_CHOICES, required=False)
    competition_level = forms.ChoiceField(label="创新类大赛参赛最高级别", choices=LEVEL_CHOICES, required=False)
    standard_level = forms.ChoiceField(label="参与制定标准最高级别", choices=STANDARD_CHOICES, required=False)
    standard_role = forms.ChoiceField(label="在标准制定中的角色", choices=[UNSET] + list(StandardRole.choices),
                                      required=False)
    certifications = forms.MultipleChoiceField(
        label="认证情况", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(CertificationKind.choices) + [(NONE, "以上均无")])
    information_systems = forms.MultipleChoiceField(
        label="核心业务采用的信息系统", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(SystemKind.choices) + [(NONE, "以上均无")])
    bad_records = forms.ChoiceField(label="近三年不良行为记录",
                                    choices=[UNSET, ("no", "无"), ("yes", "有")], required=False)
    bad_record_kind = forms.ChoiceField(label="不良记录类别", choices=[UNSET] + list(BAD_RECORD_KINDS.items()),
                                        required=False)
    bad_record_date = forms.DateField(label="不良记录日期", required=False,
                                      widget=DateInput())
    recognitions = forms.MultipleChoiceField(
        label="已获认定", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(Tier.choices) + [(NONE, "以上均未获得")])
    claims = forms.MultipleChoiceField(label="自我声明符合的判断类条件（需工作人员审核）", required=False,
                                       widget=forms.CheckboxSelectMultiple)

    # 评分制（创新型中小企业）: what its indicators and direct routes read beyond the fields above
    ip_high_value = forms.IntegerField(label="其中Ⅰ类高价值知识产权（项）", min_value=0, max_value=1000, required=False,
                                       help_text="已授权发明专利中属于战略性新兴产业、有海外同族、维持10年以上、"
                                                 "质押融资或获专利奖的项数。")
    ip_self_developed = forms.IntegerField(label="其中自主研发的发明专利（项）", min_value=0, max_value=1000,
                                           required=False)
    science_award = forms.ChoiceField(label="近三年获得科学技术奖最高级别",
                                      choices=[UNSET, (NONE, "无"), ("province", "省级"), ("national", "国家级")],
                                      required=False)
    science_award_year = forms.IntegerField(label="获奖年度", min_value=1900, max_value=2100, required=False)
    honours = forms.MultipleChoiceField(
        label="有效期内的称号", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("tech_innovation_demo", "国家级技术创新示范企业"), ("ip_advantage", "知识产权优势企业"),
                 ("ip_demo", "知识产权示范企业"), (NONE, "以上均无")])
    honours_valid_until = forms.DateField(label="称号有效期至", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment_year"].initial = default_year()
        self.year = self._year_hint()
        tags = sorted({t for members in taxonomies().values() for t in members})
        self.fields["industry_tags"].choices = [(t, t) for t in tags]
        for offset in YEAR_OFFSETS:
            for fig, label in FIGURES.items():
                name = f"fy{offset}_{fig}"
                full = f"{label}（{self.year_label(offset)}）"
                if fig in MONEY_FIGURES:
                    field = forms.DecimalField(label=full, max_digits=18, decimal_places=6, required=False,
                                               min_value=None if fig in SIGNED_FIGURES else 0)
                else:
                    field = forms.IntegerField(label=full, min_value=0, max_value=10_000_000, required=False)
                self._compact(field, full)
                self.fields[name] = field
        for i in (1, 2):
            p = f"p{i}_"
            self.fields[p + "name"] = forms.CharField(label=f"产品{i}名称", max_length=100, required=False)
            self.fields[p + "revenue"] = forms.DecimalField(label=f"产品{i}评估年度销售收入（万元）", min_value=0,
                                                            max_digits=18, decimal_places=6, required=False)
            self.fields[p + "rank_province"] = forms.IntegerField(label=f"产品{i}省内市场占有率排名", min_value=1,
                                                                  max_value=1_000_000, required=False)
            self.fields[p + "rank_domestic"] = forms.IntegerField(label=f"产品{i}国内市场占有率排名", min_value=1,
                                                                  max_value=1_000_000, required=False)
            self.fields[p + "supplies"] = forms.CharField(label=f"产品{i}配套的龙头企业（名称）", max_length=200,
                                                          required=False)
            self.fields[p + "key_field"] = forms.ChoiceField(label=f"产品{i}属于关键基础材料、核心零部件等重点领域",
                                                             choices=TRI, required=False)
            self.fields[p + "strategic"] = forms.ChoiceField(label=f"产品{i}属于《战略性新兴产业分类》",
                                                             choices=TRI, required=False)
        for ip_type, type_label in IP_TYPES.items():
            for status, status_label in IP_STATUS_COLUMNS:
                label = f"{type_label}{status_label}数量"
                field = forms.IntegerField(label=label, min_value=0, max_value=1000, required=False)
                self._compact(field, label)
                self.fields[f"ip_{ip_type}_{status}"] = field
        self.fields["claims"].choices = self._claim_choices()

    @staticmethod
    def _compact(field, label):
        field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": label,
                                   "inputmode": "decimal" if isinstance(field, forms.DecimalField) else "numeric"})

    def _year_hint(self):
        raw = self.data.get("assessment_year") if self.is_bound else None
        try:
            year = int(str(raw).strip())
        except (TypeError, ValueError):
            return default_year()
        return year if 1900 <= year <= 2100 else default_year()

    @staticmethod
    def year_label(offset):
        return "评估年度" if offset == 0 else f"前{offset}年"

    def _claim_choices(self):
        self.claim_groups = []
        choices = []
        editions = Edition.objects.judging(self.year) or Edition.objects.judging(default_year())
        self.rules = rule_facts(editions)
        for edition in editions:
            group = []
            for criterion in edition.criteria.all():
                if any(c.metric == "judgment" for c in criterion.conditions.all()):
                    group.append((f"{edition.tier}.{criterion.code}", f"{criterion.code} {criterion.text}"))
            if group:
                self.claim_groups.append((edition.name, [v for v, _ in group]))
                choices += group
        return choices

    # -- layout helpers for the template ----------------------------------------------------
    def financial_rows(self):
        return [(label, [self[f"fy{o}_{fig}"] for o in YEAR_OFFSETS]) for fig, label in FIGURES.items()]

    def financial_years(self):
        return [(o, self.year_label(o), self.year - o) for o in YEAR_OFFSETS]

    def product_blocks(self):
        names = ("name", "revenue", "rank_province", "rank_domestic", "supplies", "key_field", "strategic")
        return [[self[f"p{i}_{n}"] for n in names] for i in (1, 2)]

    def ip_rows(self):
        return [(label, [self[f"ip_{t}_{s}"] for s, _ in IP_STATUS_COLUMNS]) for t, label in IP_TYPES.items()]

    def ip_columns(self):
        return [label for _, label in IP_STATUS_COLUMNS]

    def claim_sections(self):
        widgets = {w.data["value"]: w for w in self["claims"]}
        return [(name, [widgets[v] for v in values if v in widgets]) for name, values in self.claim_groups]

    def clean(self):
        data = super().clean()
        if data.get("bad_records") == "yes":
            if not data.get("bad_record_kind"):
                self.add_error("bad_record_kind", "请选择不良记录类别。")
            if not data.get("bad_record_date"):
                self.add_error("bad_record_date", "请填写不良记录日期（决定影响哪些年度）。")
        if data.get("science_award") not in (None, "", NONE) and not data.get("science_award_year"):
            self.add_error("science_award_year", "请填写获奖年度（近三年内的奖项才计入）。")
        if [h for h in data.get("honours") or () if h != NONE] and not data.get("honours_valid_until"):
            self.add_error("honours_valid_until", "请填写称号有效期（有效期内的称号才计入）。")
        granted = data.get("ip_invention_granted") or 0
        for key in ("ip_high_value", "ip_self_developed"):
            if (data.get(key) or 0) > granted:
                self.add_error(key, f"不能多于已授权发明专利数量（{granted}项）。")
        return data

    # -- the API request body ---------------------------------------------------------------
    def to_request(self):
        d = self.cleaned_data
        year = d["assessment_year"] or default_year()
        body = {"assessment_year": year}
        if d.get("tiers"):
            body["tiers"] = list(d["tiers"])
        ent = {}
        for key in ("category", "registered_province"):
            if d.get(key):
                ent[key] = d[key]
        for key in ("independent_legal_person", "own_brand"):
            if _tri(d.get(key)) is not None:
                ent[key] = _tri(d[key])
        for key in ("founding_date", "high_tech_valid_from", "high_tech_valid_until"):
            if d.get(key):
                ent[key] = d[key].isoformat()
        for key in ("years_in_niche", "years_in_field", "years_with_new_product", "industry_average_margin"):
            if d.get(key) is not None:
                ent[key] = d[key]
        if d.get("industry_tags"):
            ent["industry_tags"] = list(d["industry_tags"])
        if ent:
            body["enterprise"] = ent

        financials = []
        for offset in YEAR_OFFSETS:
            figures = {fig: d[f"fy{offset}_{fig}"] for fig in FIGURES if d.get(f"fy{offset}_{fig}") is not None}
            if figures:
                financials.append({"year": year - offset, **figures})
        if financials:
            body["financials"] = financials

        products = []
        for i in (1, 2):
            p = {k: d.get(f"p{i}_{k}") for k in ("name", "revenue", "rank_province", "rank_domestic", "supplies",
                                                  "key_field")}
            if not any(v not in (None, "") for v in p.values()) and not d.get(f"p{i}_strategic"):
                continue
            item = {"name": p["name"] or f"产品{i}"}
            if p["revenue"] is not None:
                item["revenue"] = {str(year): p["revenue"]}
            ranks = {s: p[f"rank_{s}"] for s in ("province", "domestic") if p[f"rank_{s}"] is not None}
            if ranks:
                item["market_rank"] = ranks
            if p["supplies"]:
                item["supplies_leading_enterprise"] = p["supplies"]
            if _tri(p["key_field"]) is not None:
                item["key_field"] = _tri(p["key_field"])
            if _tri(d.get(f"p{i}_strategic")) is not None:
                item["strategic_emerging"] = _tri(d.get(f"p{i}_strategic"))
            products.append(item)
        if products:
            body["products"] = products

        counts = {(t, s): d.get(f"ip_{t}_{s}") for t in IP_TYPES for s, _ in IP_STATUS_COLUMNS}
        if any(n is not None for n in counts.values()):
            tied = products[0]["name"] if (d.get("ip_tied") and products) else None
            body["ip"] = [{"type": t, "status": s, **({"product": tied} if tied and s == "granted" else {})}
                          for (t, s), n in counts.items() for _ in range(n or 0)]
            flagged = [item for item in body["ip"] if item["type"] == "invention" and item["status"] == "granted"]
            for key, flag in (("ip_high_value", "high_value"), ("ip_self_developed", "self_developed")):
                for item in flagged[:d.get(key) or 0]:
                    item[flag] = True

        def levelled(value, extra=None):
            if not value:
                return None
            return [] if value == NONE else [{"level": value, **(extra or {})}]

        for key, value in (("rd_institutions", levelled(d.get("rd_level"), {"joint": bool(d.get("rd_joint"))})),
                           ("brands", levelled(d.get("brand_level"))),
                           ("competitions", levelled(d.get("competition_level"))),
                           ("standards", levelled(d.get("standard_level"),
                                                  {"role": d["standard_role"]} if d.get("standard_role") else {}))):
            if value is not None:
                body[key] = value

        for key, field in (("certifications", "kind"), ("information_systems", "kind"), ("recognitions", "tier")):
            chosen = [v for v in d.get(key) or () if v != NONE]
            if chosen or NONE in (d.get(key) or ()):
                body[key] = [{field: v} for v in chosen]

        if d.get("bad_records") == "no":
            body["bad_records"] = []
        elif d.get("bad_records") == "yes":
            body["bad_records"] = [{"kind": d["bad_record_kind"], "date": d["bad_record_date"].isoformat()}]

        if d.get("science_award") == NONE:
            body["awards"] = []
        elif d.get("science_award"):
            body["awards"] = [{"kind": "science", "level": d["science_award"], "year": d["science_award_year"]}]
        honours = [h for h in d.get("honours") or () if h != NONE]
        if honours or NONE in (d.get("honours") or ()):
            body["honours"] = [{"kind": h, "valid_until": d["honours_valid_until"].isoformat()} for h in honours]
        if d.get("claims"):
            body["claims"] = list(d["claims"])
        return body

    def add_api_errors(self, errors):
        for path, messages in errors.items():
            field = path if path in self.fields else None
            for message in messages:
                self.add_error(field, message if field else f"{_label_path(path)}：{message}")


def rule_facts(editions):
    """(tier, code) -> {"judgment": "only" | "some" | None, "metric": the first condition's metric}."""
    facts = {}
    for edition in editions:
        for criterion in edition.criteria.all():
            metrics = [c.metric for c in criterion.conditions.all()]
            judged = sum(m == "judgment" for m in metrics)
            kind = "only" if metrics and judged == len(metrics) else ("some" if judged else None)
            measured = [m for m in metrics if m != "judgment"]
            facts[(edition.tier, criterion.code)] = {"judgment": kind, "metric": (measured or metrics or [""])[0]}
    return facts


def row_status(tier, criterion, rules):
    """The result a reader is shown: "awaiting_judgment" for an open rule only staff can decide."""
    if criterion.result == UNKNOWN:
        kind = (rules or {}).get((tier, criterion.code), {}).get("judgment")
        if kind == "only" or (kind == "some" and MISSING_DATA_MARK not in (criterion.explanation or "")):
            return AWAITING_JUDGMENT
    return criterion.result


def status_label(status):
    return AWAITING_JUDGMENT_LABEL if status == AWAITING_JUDGMENT else RESULT_LABELS.get(status, status)


def _decimal(text):
    try:
        return Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _relative_gap(criterion):
    """How far short, as a share of the threshold (a gap of 500 on 2000 is 0.25); 0 when unknown."""
    gap, threshold = _decimal(criterion.gap), _decimal(criterion.threshold)
    if gap is None:
        return Decimal(0)
    return abs(gap / threshold) if threshold else abs(gap)


def summarize(results, rules=None):
    """The opening of the answer: what the firm qualifies for, nearly qualifies for, waits on, and lacks."""
    eligible, near, pending, far = [], [], [], []
    lacking = {}
    for r in results:
        if r.score is not None:          # a scored tier: points, not rules (see `_scored_summary`)
            _scored_summary(r, eligible, near, pending, far)
            continue
        rows = decisive_rows(r)
        statuses = [row_status(r.tier, c, rules) for c in rows]
        missed = [c for c in rows if c.result == NOT_MET]
        item = {"tier": r.tier, "name": r.name, "met": sum(c.result == MET for c in rows), "total": len(rows),
                "missed": [{"code": c.code, "text": c.text, "gap": c.gap, "unit": c.unit} for c in missed],
                "awaiting": statuses.count(AWAITING_JUDGMENT), "no_data": statuses.count(UNKNOWN)}
        if r.verdict == ELIGIBLE:
            eligible.append(item)
        elif r.verdict == INCOMPLETE:
            pending.append(item)
        elif len(missed) <= NEAR_MISS:
            near.append(item)
        else:
            far.append(item)
        for c in missed:
            metric = (rules or {}).get((r.tier, c.code), {}).get("metric") or c.code
            topic = lacking.setdefault(metric, {"label": METRICS.get(metric, {}).get("label", c.text),
                                                "misses": [], "worst": Decimal(0)})
            topic["misses"].append({"tier": r.tier, "name": r.name, "code": c.code, "text": c.text,
                                    "actual": c.actual, "threshold": c.threshold, "gap": c.gap, "unit": c.unit,
                                    "relative": _relative_gap(c)})
            topic["worst"] = max(topic["worst"], _relative_gap(c))
    near.sort(key=lambda t: t.get("steps") or len(t["missed"]))
    topics = sorted(lacking.values(), key=lambda t: (-len(t["misses"]), -t["worst"]))[:LACKING_SHOWN]
    for t in topics:
        t["misses"].sort(key=lambda m: -m["relative"])
    return {"eligible": eligible, "near": near, "pending": pending, "far": far, "lacking": topics,
            "tiers": len(results)}


def _scored_summary(r, eligible, near, pending, far):
    """A scored tier in the summary: eligible, waiting on data, near (the cheapest way to pass takes
    one or two changes) or far; `missed` stays empty, as no rule is missed: points are short."""
    score, view = r.score, score_view(r)
    item = {"tier": r.tier, "name": r.name, "scored": True, "sure": view["sure"], "best": view["best"],
            "pass_mark": view["pass_mark"], "missed": [],
            "met": 0, "total": 0, "awaiting": 0, "no_data": sum(i.points is None for i in score.indicators),
            "steps": len(r.cheapest_pass), "cheapest_words": steps_in_words(r.cheapest_pass)}
    if r.verdict == ELIGIBLE:
        eligible.append(item)
    elif r.verdict == INCOMPLETE:
        pending.append(item)
    elif r.cheapest_pass and len(r.cheapest_pass) <= NEAR_MISS:
        near.append(item)
    else:
        far.append(item)


def results_view(results, rules=None):
    """Plain dicts for the results template: one card per tier, one table per variant or product."""
    def rows(tier, criteria):
        out = []
        for c in criteria:
            status = row_status(tier, c, rules)
            out.append({**c.to_dict(), "status": status, "result_label": status_label(status)})
        return out

    def section(tier, title, verdict, criteria):
        return {"title": title, "verdict": verdict, "verdict_label": VERDICT_LABELS.get(verdict, verdict),
                "verdict_class": VERDICT_CLASSES.get(verdict, "bg-secondary"), "rows": rows(tier, criteria)}

    cards = []
    for r in results:
        multi = len(r.variants) > 1 and any(v.variant in ("M", "I") for v in r.variants)
        sections = []
        for v in r.variants:
            if v.variant == "P":
                title = "产品条件（未提供主导产品）"
            elif multi:
                title = (v.name or v.variant) + ("（本企业类别）" if v.own else "")
            else:
                title = "企业条件"
            sections.append(section(r.tier, title, v.verdict, v.criteria))
        for p in r.products:
            sections.append(section(r.tier, f"产品：{p.name}", p.verdict, p.criteria))
        if r.score is not None:          # the score block replaces the rows; prerequisites stay as rows
            sections = [sec for sec, v in zip(sections, r.variants) if v.variant != "D"]
            sections = [{**sec, "rows": [row for row in sec["rows"]
                                         if r.score.indicator(row["code"]) is None]} for sec in sections]
            sections = [sec for sec in sections if sec["rows"]]
        cards.append({"tier": r.tier, "name": r.name, "edition_year": r.edition_year, "notice": r.notice,
                      "score": score_view(r),
                      "verdict": r.verdict, "verdict_label": VERDICT_LABELS.get(r.verdict, r.verdict),
                      "verdict_class": VERDICT_CLASSES.get(r.verdict, "bg-secondary"), "sections": sections})
    return cards


@require_http_methods(["GET", "POST"])
def self_assessment_page(request):
    status, cards, summary, year, limited = 200, None, None, None, False
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST)
        if rate_limited(request, group=PAGE_RATE_GROUP):
            # htmx swaps only 2xx answers; a plain POST gets the honest status
            status, limited = (200 if getattr(request, "htmx", False) else 429), True
        elif form.is_valid():
            try:
                body, results = run_self_assessment(form.to_request())
            except SelfAssessmentError as exc:
                form.add_api_errors(exc.errors)
            else:
                rules = getattr(form, "rules", None)
                cards, summary = results_view(results, rules), summarize(results, rules)
                year = body["assessment_year"]
    else:
        form = SelfAssessmentForm()
    context = {"form": form, "cards": cards, "summary": summary, "year": year, "limited": limited,
               "submitted": request.method == "POST"}
    template = "criteria/_assessment_results.html" if getattr(request, "htmx", False) else \
        "criteria/self_assessment.html"
    return render(request, template, context, status=status)
