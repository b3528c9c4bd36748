"""Metric registry of the criteria engine (pure Python, no Django).

A *metric* turns a Profile (plus the assessment year Y and, for product-scope criteria, one
product) into a value that a condition compares with its threshold.  Every metric returns a
`MetricValue`: the value (a `Fraction` for money and percentages, an `int` for counts, ranks and
years, a `bool` for yes/no facts) or `None` with the reason it is unknown.

All computations are exact: figures arrive as `Decimal`, are turned into `Fraction` without loss,
and percentages are computed as num*100/den, so a value exactly on a threshold compares exactly.
Nothing is rounded before comparing; `display()` rounds (half up, 2 places) only for output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any, Callable

# --------------------------------------------------------------------------------------------
# Order tables
# --------------------------------------------------------------------------------------------

#: Recognition levels of R&D institutions, brands, competitions: lowest to highest.
LEVELS: dict[str, int] = {"county": 1, "city": 2, "province": 3, "national": 4, "international": 5}

#: Standard levels, lowest to highest: enterprise < local (county, city, province: 地方标准) <
#: industry < national < international, so "行业及以上" (min_level industry) leaves local ones out.
STANDARD_LEVELS: dict[str, int] = {
    "enterprise": 1,
    "county": 2,
    "city": 3,
    "province": 4,
    "industry": 5,
    "national": 6,
    "international": 7,
}

LEVEL_LABELS = {
    "county": "县级", "city": "市级", "province": "省级", "national": "国家级",
    "international": "国际", "industry": "行业", "enterprise": "企业",
}

# The yearly figures' labels: the same words as FiscalYearRecord's fields (a test holds them equal;
# the engine imports no Django, so it cannot read them from the model).
FIGURES: dict[str, str] = {
    "operating_revenue": "营业收入",
    "main_business_revenue": "主营业务收入",
    "operating_profit": "营业利润",
    "total_profit": "利润总额",
    "net_profit": "净利润",
    "taxes_paid": "纳税总额",
    "rd_expense": "研发费用",
    "total_assets": "资产总额",
    "total_liabilities": "负债总额",
    "employees": "从业人员数",
    "rd_staff": "研发人员数",
    "equity_financing": "股权融资实缴额",
}
MONEY_FIGURES = {k for k in FIGURES if k not in ("employees", "rd_staff")}

IP_TYPES = {"invention": "发明专利", "utility": "实用新型专利", "design": "外观设计专利",
            "software": "软件著作权", "proprietary": "专有技术"}
IP_STATUSES = ("applied", "granted", "lapsed")
RANK_SCOPES = {"province": "省内", "domestic": "国内", "global": "全球"}
BAD_RECORD_KINDS = {"credit": "信用", "safety": "安全", "environment": "环保"}


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MetricValue:
    value: Any = None          # Fraction | int | bool | None (None = unknown)
    missing: str = ""          # why the value is unknown
    detail: str = ""           # optional context for the explanation (e.g. which product)
    absent: bool = False       # known that nothing exists to measure (e.g. no products): not_met
    #: when missing data leave the value open: the range (lo, hi) the true value lies in (None: no
    #: bound on that side), `value` being what the known data show; and why it is open.  A rule is
    #: then met (or not met) only when every value of the range is; otherwise unknown.
    bounds: tuple | None = None
    open: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


def unknown(why: str) -> MetricValue:
    return MetricValue(None, missing=why)


def to_fraction(x: Any) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, bool)):
        return Fraction(int(x))
    if isinstance(x, Decimal):          # exact already: Decimal(str(d)) == d
        return Fraction(x)
    return Fraction(Decimal(str(x)))


_FAST_LIMIT = 1 << 120      # |numerator| below this: exact integer rounding equals the 60-digit Decimal path
_QUANTIZE_LIMIT = 10 ** 26  # hundredths below this: Decimal.quantize (28 digits) cannot overflow


def _two_places(f: Fraction) -> str | None:
    """f rounded half up to 2 places, as str(Decimal) would print it; None when out of the fast range."""
    n, d = f.numerator, f.denominator
    if -_FAST_LIMIT < n < _FAST_LIMIT:
        q, r = divmod(abs(n) * 100, d)
        if 2 * r >= d:
            q += 1
        if q < _QUANTIZE_LIMIT:
            return f"{'-' if n < 0 else ''}{q // 100}.{q % 100:02d}"
    return None


def display(value: Any, kind: str) -> str | None:
    """Output form of a value: money/percent as a 2-place decimal string, ints as is."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind in ("money", "percent"):
        f = to_fraction(value)
        return _two_places(f) or str(fraction_to_decimal(f).quantize(Decimal("0.01"), ROUND_HALF_UP))
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return _two_places(value) or str(fraction_to_decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return str(value)


def fraction_to_decimal(f: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(f.numerator) / Decimal(f.denominator)


def pct(num: Fraction, den: Fraction) -> Fraction:
    """num*100/den, exact (caller guarantees den != 0)."""
    return num * 100 / den


def _int_root(m: int, n: int) -> int | None:
    """The integer n-th root of m >= 0 when m is a perfect n-th power, else None (Newton on ints)."""
    if m < 2:
        return m
    x = 1 << -(-m.bit_length() // n)          # a power of two at or above the root
    while True:
        y = ((n - 1) * x + m // x ** (n - 1)) // n
        if y >= x:
            return x if x ** n == m else None
        x = y


def nth_root(x: Fraction, n: int) -> Fraction:
    """The n-th root of a positive rational: exact when it is rational (numerator and denominator both
    perfect n-th powers), otherwise a 60-digit approximation (an irrational root never equals a
    decimal threshold)."""
    if n == 1:
        return x
    top, bottom = _int_root(x.numerator, n), _int_root(x.denominator, n)
    if top is not None and bottom is not None:
        return Fraction(top, bottom)
    with localcontext() as ctx:
        ctx.prec = 60
        return Fraction((Decimal(x.numerator) / Decimal(x.denominator)) ** (Decimal(1) / Decimal(n)))


# --------------------------------------------------------------------------------------------
# Context and helpers
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    profile: Any          # engine.Profile (duck-typed to avoid an import cycle)
    year: int             # assessment year Y
    product: Any = None   # engine.Product for product-scope criteria
    #: optional memo of computed metric values for this profile (see `compute`); metrics are pure
    #: functions of (profile, year, product, params), so sharing one dict across the criteria and
    #: tiers of one profile changes nothing but speed.
    cache: dict | None = field(default=None, compare=False, repr=False)


def figure(ctx: Context, name: str, year: int) -> tuple[Fraction | None, str]:
    fy = ctx.profile.financials.get(year) if ctx.profile.financials else None
    label = FIGURES.get(name, name)
    if fy is None:
        return None, f"缺少{year}年财务数据"
    v = getattr(fy, name, None)
    if v is None:
        return None, f"缺少{year}年{label}"
    if ctx.cache is None:
        return to_fraction(v), ""
    key = ("figure", id(ctx.profile), name, year)   # one figure is read by many rules of many tiers
    f = ctx.cache.get(key)
    if f is None:
        f = ctx.cache[key] = to_fraction(v)
    return f, ""


def window_years(ctx: Context, params: dict, default: int) -> list[int]:
    n = int(params.get("window", default))
    return list(range(ctx.year - n + 1, ctx.year + 1))


def _ratio_at(ctx: Context, num: str, den: str, year: int) -> MetricValue:
    a, why = figure(ctx, num, year)
    if a is None:
        return unknown(why)
    b, why = figure(ctx, den, year)
    if b is None:
        return unknown(why)
    if b == 0:
        return unknown(f"{year}年{FIGURES[den]}为0，无法计算比例")
    return MetricValue(pct(a, b))


# --------------------------------------------------------------------------------------------
# Metric functions: (ctx, params) -> MetricValue
# --------------------------------------------------------------------------------------------

# The metrics made per attribute are callable objects rather than closures: the table below is built
# once at import, and a closure's body would then be out of reach of the tests' instrumentation
# (make mutate runs each mutant in a process forked after import).

@dataclass(frozen=True)
class _figure_metric:
    """One figure of the assessment year, as is."""
    name: str

    def __call__(self, ctx: Context, params: dict) -> MetricValue:
        v, why = figure(ctx, self.name, ctx.year)
        return MetricValue(v) if v is not None else unknown(why)


def m_profit_plus_tax(ctx, params):
    a, why = figure(ctx, "total_profit", ctx.year)
    if a is None:
        return unknown(why)
    b, why = figure(ctx, "taxes_paid", ctx.year)
    if b is None:
        return unknown(why)
    return MetricValue(a + b)


def m_figure_sum(ctx, params):
    """The figure summed over the window.  With `missing: open` (a figure never negative, such as
    equity financing paid in) a missing year leaves the sum open above what the known years give, so
    a rule is decided when the known years already reach it."""
    name = params.get("figure", "operating_revenue")
    total = Fraction(0)
    gaps = []
    for y in window_years(ctx, params, 2):
        v, why = figure(ctx, name, y)
        if v is None:
            if params.get("missing") != "open":
                return unknown(why)
            gaps.append(why)
            continue
        total += v
    if gaps:
        return MetricValue(total, bounds=(total, None), open="；".join(gaps))
    return MetricValue(total)


def m_main_business_share(ctx, params):
    return _ratio_at(ctx, "main_business_revenue", "operating_revenue", ctx.year)


def m_debt_ratio(ctx, params):
    return _ratio_at(ctx, "total_liabilities", "total_assets", ctx.year)


def m_profit_margin(ctx, params):
    return _ratio_at(ctx, "total_profit", "operating_revenue", ctx.year)


def m_rd_staff_share(ctx, params):
    return _ratio_at(ctx, "rd_staff", "employees", ctx.year)


def _avg_ratio(ctx, params, num, den):
    years = window_years(ctx, params, 3)
    method = params.get("method", "mean_of_ratios")
    if method == "ratio_of_sums":
        sn = sd = Fraction(0)
        for y in years:
            a, why = figure(ctx, num, y)
            if a is None:
                return unknown(why)
            b, why = figure(ctx, den, y)
            if b is None:
                return unknown(why)
            sn += a
            sd += b
        if sd == 0:
            return unknown(f"{years[0]}–{years[-1]}年{FIGURES[den]}合计为0，无法计算比例")
        return MetricValue(pct(sn, sd))
    ratios = []
    for y in years:
        r = _ratio_at(ctx, num, den, y)
        if not r.known:
            return r
        ratios.append(r.value)
    return MetricValue(sum(ratios, Fraction(0)) / len(ratios))


def m_avg_operating_margin(ctx, params):
    return _avg_ratio(ctx, params, "operating_profit", "operating_revenue")


def m_avg_rd_intensity(ctx, params):
    return _avg_ratio(ctx, params, "rd_expense", "operating_revenue")


def m_avg_growth(ctx, params):
    name = params.get("figure", "operating_revenue")
    n = int(params.get("window", 3))
    method = params.get("method", "arithmetic_mean")
    label = FIGURES.get(name, name)
    if method == "cagr":
        last, why = figure(ctx, name, ctx.year)
        if last is None:
            return unknown(why)
        first, why = figure(ctx, name, ctx.year - n)
        if first is None:
            return unknown(why)
        if first <= 0 or last <= 0:
            return unknown(f"{label}非正数，无法计算复合增长率")
        return MetricValue((nth_root(last / first, n) - 1) * 100)
    rates = []
    for y in range(ctx.year - n + 1, ctx.year + 1):
        prev, why = figure(ctx, name, y - 1)
        if prev is None:
            return unknown(why)
        cur, why = figure(ctx, name, y)
        if cur is None:
            return unknown(why)
        if prev == 0:
            return unknown(f"{y - 1}年{label}为0，无法计算增长率")
        rates.append((cur - prev) * 100 / abs(prev))
    return MetricValue(sum(rates, Fraction(0)) / len(rates))


def _products(ctx) -> tuple | None:
    return ctx.profile.products


def _names(products, limit=5) -> str:
    """“甲”、“乙” (the first few names, then how many in all)."""
    names = [f"“{p.name}”" for p in products[:limit]]
    more = f"等{len(products)}个" if len(products) > limit else ""
    return "、".join(names) + more


def m_market_rank(ctx, params):
    """An "or" over the leading products: the best rank decides; a product whose rank is missing
    leaves the rule open unless a ranked product already meets it."""
    scope = params.get("scope", "domestic")
    where = RANK_SCOPES.get(scope, scope)
    if ctx.product is not None:
        r = (ctx.product.market_rank or {}).get(scope)
        if r is None:
            return unknown(f"产品“{ctx.product.name}”未提供{where}市场占有率排名")
        return MetricValue(int(r))
    products = _products(ctx)
    if products is None:
        return unknown("未提供主导产品信息")
    if not products:
        return MetricValue(None, missing="企业没有主导产品", absent=True)
    ranked, unranked = [], []
    for p in products:
        r = p.market_rank.get(scope) if p.market_rank else None
        if r is None:
            unranked.append(p)
        else:
            ranked.append((int(r), p.name))
    if not ranked:
        return unknown(f"主导产品{_names(unranked)}均未提供{where}市场占有率排名")
    best = min(ranked)
    if unranked:
        return MetricValue(best[0], detail=best[1], bounds=(1, best[0]),
                           open=f"产品{_names(unranked)}未提供{where}市场占有率排名")
    return MetricValue(best[0], detail=best[1])


def _supplies(p) -> bool | None:
    s = p.supplies_leading_enterprise
    if s is None:
        return None
    return bool(str(s).strip())


def m_supplies_leading_enterprise(ctx, params):
    if ctx.product is not None:
        v = _supplies(ctx.product)
        if v is None:
            return unknown(f"产品“{ctx.product.name}”未说明是否进入龙头企业供应链")
        return MetricValue(v, detail=str(ctx.product.supplies_leading_enterprise or ""))
    products = _products(ctx)
    if products is None:
        return unknown("未提供主导产品信息")
    silent = []
    for p in products:                      # an "or" over the products
        v = _supplies(p)
        if v:
            return MetricValue(True, detail=f"{p.name}→{p.supplies_leading_enterprise}")
        if v is None:
            silent.append(p)
    if silent:
        return unknown(f"产品{_names(silent)}未说明是否进入龙头企业供应链")
    return MetricValue(False)


def m_key_field(ctx, params):
    if ctx.product is not None:
        v = ctx.product.key_field
        if v is None:
            return unknown(f"产品“{ctx.product.name}”未说明是否属于重点领域")
        return MetricValue(bool(v))
    products = _products(ctx)
    if products is None:
        return unknown("未提供主导产品信息")
    if any(p.key_field for p in products):  # an "or" over the products
        return MetricValue(True)
    silent = [p for p in products if p.key_field is None]
    if silent:
        return unknown(f"产品{_names(silent)}未说明是否属于重点领域")
    return MetricValue(False)


def m_product_revenue_share(ctx, params):
    den_name = params.get("denominator", "operating_revenue")
    y = ctx.year
    if ctx.product is not None:
        products = (ctx.product,)
    else:
        products = _products(ctx)
        if products is None:
            return unknown("未提供主导产品信息")
    total = Fraction(0)
    for p in products:
        r = (p.revenue or {}).get(y)
        if r is None:
            return unknown(f"缺少产品“{p.name}”{y}年销售收入")
        total += to_fraction(r)
    den, why = figure(ctx, den_name, y)
    if den is None:
        return unknown(why)
    if den == 0:
        return unknown(f"{y}年{FIGURES[den_name]}为0，无法计算比例")
    return MetricValue(pct(total, den))


#: A high-tech enterprise certificate runs this many years.
HIGH_TECH_YEARS = 3


def shift_years(d: date, n: int) -> date:
    """The same day n years away (29 February → 1 March), clamped to the calendar's range."""
    y = d.year + n
    if y < date.min.year:
        return date.min
    if y > date.max.year:
        return date.max
    try:
        return d.replace(year=y)
    except ValueError:
        return date(y, 3, 1)


def high_tech_validity(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """The certificate's validity: with only its start known it ends three years later minus a day;
    with only its end known it started three years before (the day after the end, 3 years back)."""
    if end is None and start is not None:
        end = shift_years(start, HIGH_TECH_YEARS) - timedelta(days=1)   # three years on is never the first day
    elif start is None and end is not None:
        start = shift_years(end + timedelta(days=1) if end < date.max else end, -HIGH_TECH_YEARS)
    return start, end


def m_high_tech(ctx, params):
    p = ctx.profile
    given_start, given_end = p.high_tech_valid_from, p.high_tech_valid_until
    if given_start is not None or given_end is not None:
        start, end = high_tech_validity(given_start, given_end)
        y0, y1 = date(ctx.year, 1, 1), date(ctx.year, 12, 31)
        # `end_only`: valid in Y when it ends on or after 1 January of Y (a later start counts too)
        ok = end >= y0 if params.get("end_only") else (start <= y1 and end >= y0)
        guessed = "；有效期止日按三年推算" if given_end is None else \
            "；有效期起日按三年推算" if given_start is None else ""
        return MetricValue(ok, detail=f"证书有效期{start}至{end}，{'覆盖' if ok else '未覆盖'}{ctx.year}年{guessed}")
    if p.high_tech_certified is None:
        return unknown("未提供高新技术企业证书信息")
    return MetricValue(bool(p.high_tech_certified))


@dataclass(frozen=True)
class _attr:
    """A field of the firm as yes/no (`convert=bool`) or a whole number (`convert=int`); `what` names it
    when it is missing."""
    attr: str
    what: str
    convert: Callable[[Any], Any] = bool

    def __call__(self, ctx, params):
        v = getattr(ctx.profile, self.attr)
        if v is None:
            return unknown(f"未提供{self.what}")
        return MetricValue(self.convert(v))


def m_registered_in_province(ctx, params):
    want = params.get("province", "江苏")
    v = ctx.profile.registered_province
    if v is None or str(v).strip() == "":
        return unknown("未提供注册地")
    v = str(v).strip()
    return MetricValue(v == want or v.startswith(want), detail=f"注册地{v}")


def m_in_taxonomy(ctx, params):
    code = params.get("taxonomy", "")
    tx = ctx.profile.taxonomies
    if tx is None:
        return unknown("未提供所属行业")
    return MetricValue(code in tx)


def m_founding_year(ctx, params):
    d = ctx.profile.founding_date
    if d is None:
        return unknown("未提供成立日期")
    return MetricValue(int(d.year))


def m_industry_average_margin(ctx, params):
    v = ctx.profile.industry_average_margin
    if v is None:
        return unknown("未提供同期同行业企业利润率")
    return MetricValue(to_fraction(v))


def _records(ctx, attr, what):
    recs = getattr(ctx.profile, attr)
    if recs is None:
        return None, unknown(f"未提供{what}信息")
    return recs, None


def m_ip_count(ctx, params):
    """IP items of the given types and statuses.  `tied`: any_product counts only items naming a
    product on the firm's product list (with the list unknown, such an item may or may not count);
    this_product only items naming the product judged.  An item without a status may or may not count."""
    recs, u = _records(ctx, "ip", "知识产权")
    if u:
        return u
    types = set(params.get("types") or IP_TYPES)
    statuses = set(params.get("statuses") or ["granted"]) - {"lapsed"}
    tied = params.get("tied", "none")
    listed = None
    if tied == "any_product" and ctx.profile.products is not None:
        listed = {(p.name or "").strip() for p in ctx.profile.products}   # an item naming no product never counts
    n = open_status = open_tie = elsewhere = 0
    for it in recs:
        if it.type not in types:
            continue
        status_open = it.status is None
        if not status_open and it.status not in statuses:
            continue
        tie_open = False
        if tied != "none":
            prod = (it.product or "").strip()
            if not prod:
                continue
            if tied == "this_product":
                if ctx.product is None or prod != (ctx.product.name or "").strip():
                    continue
            elif listed is None:
                tie_open = True
            elif prod not in listed:
                elsewhere += 1
                continue
        if status_open:
            open_status += 1
        elif tie_open:
            open_tie += 1
        else:
            n += 1
    open_n = open_status + open_tie
    detail = f"另有{elsewhere}项注明的产品不在企业主导产品名单中，不计" if elsewhere else ""
    if not open_n:
        return MetricValue(n, detail=detail)
    why = []
    if open_tie:
        why.append(f"未提供主导产品信息，无法确认{open_tie}项知识产权所注明的产品是否为主导产品")
    if open_status:
        why.append(f"{open_status}项知识产权未注明状态")
    return MetricValue(n, detail=detail, bounds=(n, n + open_n), open="；".join(why))


@dataclass(frozen=True)
class _level_count:
    """Records of one list at `min_level` or above (by `table`), of the given `roles` if any."""
    attr: str
    what: str
    table: Any = None

    def __call__(self, ctx, params):
        recs, u = _records(ctx, self.attr, self.what)
        if u:
            return u
        table = self.table or LEVELS
        min_level = params.get("min_level")
        floor = table.get(min_level, 0) if min_level else 0
        roles = set(params.get("roles") or [])
        n = 0
        for r in recs:
            lvl = table.get(getattr(r, "level", None) or "", 0)
            if min_level and lvl < floor:
                continue
            if roles and getattr(r, "role", None) not in roles:
                continue
            n += 1
        return MetricValue(n)


@dataclass(frozen=True)
class _kind_count:
    """Records of one list of the given `kinds` (all when none given)."""
    attr: str
    what: str

    def __call__(self, ctx, params):
        recs, u = _records(ctx, self.attr, self.what)
        if u:
            return u
        kinds = set(params.get("kinds") or [])
        return MetricValue(sum(1 for r in recs if not kinds or r.kind in kinds))


def m_bad_record_count(ctx, params):
    recs, u = _records(ctx, "bad_records", "不良行为记录")
    if u:
        return u
    kinds = set(params.get("kinds") or BAD_RECORD_KINDS)
    n = int(params.get("window", 3))
    lo, hi = ctx.year - n + 1, ctx.year
    count = undated = 0
    for r in recs:
        if r.kind not in kinds:
            continue
        if r.date is None:
            undated += 1
        elif lo <= r.date.year <= hi:
            count += 1
    if undated:
        return MetricValue(count, bounds=(count, count + undated), open=f"{undated}条不良行为记录缺少日期")
    return MetricValue(count)


def m_recognition_count(ctx, params):
    """Titles the firm holds, counted when granted in or before the declaration year Y+1; a title
    given without its year (the self-assessment page asks only which titles the firm holds) counts
    as held."""
    recs, u = _records(ctx, "recognitions", "已获认定")
    if u:
        return u
    tier = params.get("tier")
    last = ctx.year + 1
    n = later = 0
    for r in recs:
        if tier and r.tier != tier:
            continue
        if r.year is not None and r.year > last:
            later += 1
        else:
            n += 1
    return MetricValue(n, detail=f"另有{later}项晚于{last}年获得，不计" if later else "")


def m_rd_share(ctx, params):
    """R&D expense / operating revenue of Y (one year, unlike the averaged intensity)."""
    return _ratio_at(ctx, "rd_expense", "operating_revenue", ctx.year)


#: Grades of the 创新型中小企业 IP indicator, lowest to highest (ip_grade's values).
IP_GRADES = {0: "无对应主导产品的有效知识产权", 1: "Ⅱ类知识产权", 2: "Ⅰ类知识产权",
             3: "自主研发的Ⅰ类知识产权", 4: "Ⅰ类高价值知识产权"}
DEFAULT_IP_CLASSES = {"class1": ["invention"], "class2": ["utility", "design", "software"]}


def _ip_grade_of(item, class1, class2) -> int:
    if item.type in class1:
        if item.high_value:
            return 4
        if item.self_developed:
            return 3
        return 2
    if item.type in class2:
        return 1
    return 0


def m_ip_grade(ctx, params):
    """The best grade of the valid IP tied to a leading product (IP_GRADES): 4 Ⅰ类高价值, 3 self-developed
    Ⅰ类, 2 Ⅰ类, 1 Ⅱ类, 0 none.  Which types are Ⅰ类 / Ⅱ类 are params (`class1`, `class2`).  Granted items
    only; an item counts when it names a product on the firm's list.  An item without a status, or
    naming a product while the product list is unknown, may or may not count: the grade is then a
    range from what counts for sure to what it could be.  Flags not recorded count as plain Ⅰ类."""
    recs, u = _records(ctx, "ip", "知识产权")
    if u:
        return u
    class1 = set(params.get("class1") or DEFAULT_IP_CLASSES["class1"])
    class2 = set(params.get("class2") or DEFAULT_IP_CLASSES["class2"])
    listed = None
    if ctx.profile.products is not None:
        listed = {(p.name or "").strip() for p in ctx.profile.products}   # an item naming no product never counts
    sure = could = 0
    counted = {}
    unflagged = elsewhere = 0
    open_why = set()
    for it in recs:
        grade = _ip_grade_of(it, class1, class2)
        if grade == 0 or (it.status is not None and it.status != "granted"):   # applied, lapsed, rejected
            continue
        prod = (it.product or "").strip()
        if not prod:
            continue
        maybe = it.status is None
        if it.status is None:
            open_why.add("有知识产权未注明状态")
        if listed is None:
            maybe = True
            open_why.add("未提供主导产品信息，无法确认知识产权所注明的产品是否为主导产品")
        elif prod not in listed:
            elsewhere += 1
            continue
        could = max(could, grade)
        if not maybe:
            sure = max(sure, grade)
            counted[grade] = counted.get(grade, 0) + 1
            if grade == 2 and (it.high_value is None or it.self_developed is None):
                unflagged += 1
    notes = []
    if sure:
        notes.append(f"{IP_GRADES[sure]}{counted[sure]}项")
    if unflagged and sure == 2:
        notes.append(f"其中{unflagged}项未标注是否高价值或自主研发，按一般Ⅰ类计")
    if elsewhere:
        notes.append(f"另有{elsewhere}项注明的产品不在主导产品名单中，不计")
    detail = "；".join(notes)
    if could > sure:
        return MetricValue(sure, detail=detail, bounds=(sure, could), open="；".join(sorted(open_why)))
    return MetricValue(sure, detail=detail)


def m_strategic_emerging_product(ctx, params):
    """An "or" over the leading products: yes when any is in 《战略性新兴产业分类》; no when every one is
    known not to be, or the firm lists none; otherwise unknown."""
    products = _products(ctx)
    if products is None:
        return unknown("未提供主导产品信息")
    hit = [p for p in products if p.strategic_emerging]
    if hit:
        return MetricValue(True, detail=f"“{hit[0].name}”属于战略性新兴产业")
    silent = [p for p in products if p.strategic_emerging is None]
    if silent:
        return unknown(f"产品{_names(silent)}未说明是否属于《战略性新兴产业分类》")
    return MetricValue(False, detail="未列主导产品" if not products else "")


def m_award_count(ctx, params):
    """Science awards (kind `science`) of at least `min_level`, dated in Y-window+1..Y; an undated one
    may or may not count."""
    recs, u = _records(ctx, "awards", "科技奖励")
    if u:
        return u
    floor = LEVELS.get(params.get("min_level") or "province", 0)
    kinds = set(params.get("kinds") or ["science"])
    n = int(params.get("window", 3))
    lo, hi = ctx.year - n + 1, ctx.year
    count = undated = 0
    for a in recs:
        if (a.kind or "science") not in kinds or LEVELS.get(a.level or "", 0) < floor:
            continue
        if a.year is None:
            undated += 1
        elif lo <= a.year <= hi:
            count += 1
    if undated and not count:
        return MetricValue(count, bounds=(count, count + undated), open=f"{undated}项科技奖励未填写获奖年度")
    return MetricValue(count)


def m_honour_count(ctx, params):
    """Honours of the given kinds valid in Y (their end on or after 1 January of Y); a level, when
    recorded, must reach `min_level`; one without its end date may or may not count."""
    recs, u = _records(ctx, "honours", "荣誉")
    if u:
        return u
    kinds = set(params.get("kinds") or [])
    floor = LEVELS.get(params.get("min_level") or "", 0)
    start = date(ctx.year, 1, 1)
    count = undated = 0
    for h in recs:
        if kinds and h.kind not in kinds:
            continue
        if h.level and LEVELS.get(h.level, 0) < floor:
            continue
        if h.valid_until is None:
            undated += 1
        elif h.valid_until >= start:
            count += 1
    if undated and not count:
        return MetricValue(count, bounds=(count, count + undated), open=f"{undated}项荣誉未填写有效期")
    return MetricValue(count)


def m_judgment(ctx, params):  # evaluated by the engine, never called
    return unknown("需工作人员判断")


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

#: Comparison operators allowed on numeric conditions; bool and judgment conditions use "".
OPERATORS: dict[str, str] = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于",
                             "==": "等于", "!=": "不等于"}


def _m(label, kind, unit, fn, params=(), scopes=("enterprise", "product")):
    return {"label": label, "kind": kind, "unit": unit, "params": list(params),
            "scopes": list(scopes), "fn": fn}


_FIG = {k: _m(v, "money" if k in MONEY_FIGURES else "count",
              "万元" if k in MONEY_FIGURES else "人", _figure_metric(k)) for k, v in FIGURES.items()}

#: metric code -> {label, kind, unit, params, scopes, fn}.  kind is one of money, percent, count,
#: rank, year, bool, judgment.  bool and judgment metrics take operator "" and no threshold.
METRICS: dict[str, dict] = {
    **_FIG,
    "profit_plus_tax": _m("利税总额", "money", "万元", m_profit_plus_tax),
    "figure_sum": _m("近n年合计", "money", "万元", m_figure_sum, ["figure", "window"]),
    "main_business_share": _m("主营业务收入占营业收入比重", "percent", "%", m_main_business_share),
    "debt_ratio": _m("资产负债率", "percent", "%", m_debt_ratio),
    "profit_margin": _m("利润率（利润总额/营业收入）", "percent", "%", m_profit_margin),
    "rd_staff_share": _m("研发人员占职工总数比例", "percent", "%", m_rd_staff_share),
    "avg_growth": _m("平均增长率", "percent", "%", m_avg_growth, ["figure", "window", "method"]),
    "avg_operating_margin": _m("平均营业利润率", "percent", "%", m_avg_operating_margin,
                               ["window", "method"]),
    "avg_rd_intensity": _m("平均研发经费支出占营业收入比重", "percent", "%", m_avg_rd_intensity,
                           ["window", "method"]),
    "market_rank": _m("主导产品市场占有率排名", "rank", "位", m_market_rank, ["scope"]),
    "supplies_leading_enterprise": _m("进入龙头企业供应链体系", "bool", "",
                                      m_supplies_leading_enterprise),
    "key_field": _m("产品属于重点领域", "bool", "", m_key_field),
    "product_revenue_share": _m("主导产品销售收入占比", "percent", "%", m_product_revenue_share,
                                ["denominator"]),
    "high_tech": _m("国家高新技术企业", "bool", "", m_high_tech),
    "own_brand": _m("拥有自主品牌", "bool", "", _attr("own_brand", "是否拥有自主品牌", bool)),
    "independent_legal_person": _m("具有独立法人资格", "bool", "",
                                   _attr("independent_legal_person", "是否具有独立法人资格", bool)),
    "registered_in_province": _m("在省内注册", "bool", "", m_registered_in_province, ["province"]),
    "in_taxonomy": _m("所属行业在名录内", "bool", "", m_in_taxonomy, ["taxonomy"]),
    "founding_year": _m("成立年份", "year", "年", m_founding_year),
    "years_in_niche": _m("从事特定细分市场年限", "count", "年", _attr("years_in_niche", "从事细分市场年限", int)),
    "years_in_field": _m("从事相关业务领域年限", "count", "年", _attr("years_in_field", "从事相关业务领域年限", int)),
    "years_with_new_product": _m("从事新产品生产经营年限", "count", "年",
                                 _attr("years_with_new_product", "从事新产品生产经营年限", int)),
    "industry_average_margin": _m("同期同行业企业利润率", "percent", "%", m_industry_average_margin),
    "ip_count": _m("知识产权数量", "count", "项", m_ip_count, ["types", "statuses", "tied"]),
    "rd_institution_count": _m("研发机构数量", "count", "个",
                               _level_count("rd_institutions", "研发机构"), ["min_level"]),
    "brand_count": _m("品牌数量", "count", "个", _level_count("brands", "品牌"), ["min_level"]),
    "competition_count": _m("创新类大赛参赛次数", "count", "次",
                            _level_count("competitions", "创新类大赛"), ["min_level"]),
    "standard_count": _m("标准数量", "count", "项",
                         _level_count("standards", "标准", STANDARD_LEVELS), ["min_level", "roles"]),
    "certification_count": _m("认证数量", "count", "项",
                              _kind_count("certifications", "认证"), ["kinds"]),
    "information_system_count": _m("信息系统数量", "count", "个",
                                   _kind_count("information_systems", "信息系统"), ["kinds"]),
    "bad_record_count": _m("不良行为记录", "count", "条", m_bad_record_count, ["kinds", "window"]),
    "recognition_count": _m("已获认定", "count", "项", m_recognition_count, ["tier"]),
    "judgment": _m("工作人员判断", "judgment", "", m_judgment),
    # 创新型中小企业 (scored)
    "rd_share": _m("研发费用占营业收入比重", "percent", "%", m_rd_share),
    "ip_grade": _m("对应主导产品的有效知识产权等级", "grade", "", m_ip_grade, ["class1", "class2"]),
    "strategic_emerging_product": _m("主导产品属于《战略性新兴产业分类》", "bool", "",
                                     m_strategic_emerging_product),
    "award_count": _m("科学技术奖", "count", "项", m_award_count, ["min_level", "kinds", "window"]),
    "honour_count": _m("有效期内的荣誉", "count", "项", m_honour_count, ["kinds", "min_level"]),
}

#: Parameters a condition may carry, with what they mean (for validating edited editions).
PARAMS: dict[str, str] = {
    "window": "年数（整数）",
    "method": "arithmetic_mean | cagr（增长率）；mean_of_ratios | ratio_of_sums（平均比率）",
    "figure": "财务指标代码：" + "、".join(FIGURES),
    "denominator": "operating_revenue | main_business_revenue",
    "scope": "province | domestic | global（排名范围）",
    "min_level": "最低级别：" + "、".join(STANDARD_LEVELS),
    "roles": "led | joined（标准）",
    "types": "知识产权类型：" + "、".join(IP_TYPES),
    "statuses": "applied | granted（lapsed 不计）",
    "tied": "none | any_product | this_product（是否须对应主导产品）",
    "kinds": "记录类别",
    "taxonomy": "cluster13 | strategic_emerging | county_leading",
    "tier": "认定层级代码",
    "province": "省份名称",
    "threshold_ref": "与企业资料中的某项数值比较（指标代码）",
    "class1": "Ⅰ类知识产权类型：" + "、".join(IP_TYPES),
    "class2": "Ⅱ类知识产权类型：" + "、".join(IP_TYPES),
    "missing": "open（缺少某年数据时按已知年度累计判断）",
    "end_only": "true：有效期止日在评估年度1月1日及以后即有效",
    "when": "适用条件列表 [{metric, operator, threshold, params}]，全部成立时本条件才适用",
}


def _params_key(params: dict | None) -> tuple:
    if not params:
        return ()
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def compute(metric: str, ctx: Context, params: dict | None = None) -> MetricValue:
    spec = METRICS.get(metric)
    if spec is None:
        return unknown(f"未知指标 {metric}")
    cache = ctx.cache
    if cache is None:
        return spec["fn"](ctx, params or {})
    try:
        key = (metric, id(ctx.profile), ctx.year, None if ctx.product is None else id(ctx.product),
               _params_key(params))
        hit = cache.get(key)
    except TypeError:               # a parameter value that cannot be a key: compute as usual
        return spec["fn"](ctx, params or {})
    if hit is None:
        hit = cache[key] = spec["fn"](ctx, params or {})
    return hit
