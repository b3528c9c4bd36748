"""The self-assessment (政策计算器) shared by the public API and the public page.

`run_self_assessment(data)` validates a request body (see docs/spec/self-assessment-api.md),
scores it against the published editions judging its year and returns the response dict and the
engine's TierResults.  It stores nothing.  Invalid input raises `SelfAssessmentError` whose
`errors` is `{"<field path>": ["<中文提示>"]}` with paths like `financials[0].year`.
"""
from __future__ import annotations

import json
import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.models import CertificationKind, FiscalYearRecord, RecognitionKind, StandardRole, SystemKind

from . import engine
from .metrics import BAD_RECORD_KINDS, IP_STATUSES, IP_TYPES, LEVELS, RANK_SCOPES, STANDARD_LEVELS
from .models import Edition, Tier
from .profile import taxonomy_map
from .profile_input import DEFAULT_TAXONOMIES, profile_from_request
from .services import default_year

logger = logging.getLogger(__name__)

#: Bounds that keep exact arithmetic cheap and honest (money in 万元).
MONEY_LIMIT = Decimal("1e12")
MAX_DECIMAL_PLACES = 6
#: 同期同行业利润率 (%) accepted range.  The contract says a ratio outside 0–100 is an error.
MARGIN_MIN, MARGIN_MAX = Decimal("0"), Decimal("100")
MARGIN_MESSAGE = f"利润率应在{MARGIN_MIN}—{MARGIN_MAX}（%）之间。"
YEAR_MIN, YEAR_MAX = 1900, 2100
FIRST_EDITION_NOTE = "（2022年申报通知起评估2021年及以后的年度）"

MSG = {
    "not_json": "请求体不是有效的 JSON。",
    "not_object": "请求体必须是 JSON 对象（{...}）。",
    "too_big": "请求体过大。",
    "number": "请填写数字（可用字符串或数值，如 \"1200.50\"）。",
    "not_finite": "请填写有限的数字（不能是 NaN 或无穷大）。",
    "too_large": "数值过大（绝对值须小于1万亿）。",
    "places": f"小数位数不能超过{MAX_DECIMAL_PLACES}位。",
    "negative": "不能为负数。",
    "integer": "请填写整数。",
    "string": "请填写文本。",
    "bad_chars": "包含无效字符。",
    "bool": "请填写 true 或 false。",
    "date": "请填写日期，格式为 YYYY-MM-DD。",
    "object": "应为 JSON 对象（{...}）。",
    "list": "应为列表（[...]）。",
    "null": "不能为空（null）。",
    "required": "该字段为必填项。",
    "year": f"请填写{YEAR_MIN}—{YEAR_MAX}之间的年度。",
}


def _sanitize(value, limit=40):
    """User text safe to echo in a message (no lone surrogates, not too long)."""
    s = str(value).encode("utf-8", "replace").decode("utf-8")
    return s if len(s) <= limit else s[:limit] + "…"


def _check_text(s: str) -> str:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError(MSG["bad_chars"])
    if "\x00" in s:
        raise serializers.ValidationError(MSG["bad_chars"])
    return s


def to_decimal(value) -> Decimal:
    """A JSON number or a decimal string as Decimal (never via float), bounded and finite."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise serializers.ValidationError(MSG["number"])
    text = str(value).strip()
    if len(text) > 60:
        raise serializers.ValidationError(MSG["too_large"])
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        raise serializers.ValidationError(MSG["number"])
    if not d.is_finite():
        raise serializers.ValidationError(MSG["not_finite"])
    if abs(d) >= MONEY_LIMIT:
        raise serializers.ValidationError(MSG["too_large"])
    if d != 0 and d.as_tuple().exponent < -MAX_DECIMAL_PLACES:
        raise serializers.ValidationError(MSG["places"])
    return d


# ------------------------------------------------------------------------------------------
# Fields (all optional; null and "" mean unknown)
# ------------------------------------------------------------------------------------------

class _Optional(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("error_messages", {"required": MSG["required"], "null": MSG["null"]})
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if isinstance(data, str) and data.strip() == "" and self.allow_null:
            return True, None
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "format": "decimal", "example": "1200.50",
                      "description": "十进制字符串或数值（万元）"})
class DecimalValueField(_Optional):
    def __init__(self, *, min_value=None, max_value=None, min_message=None, max_message=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        self.min_message, self.max_message = min_message, max_message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        d = to_decimal(data)
        if self.min_value is not None and d < self.min_value:
            raise serializers.ValidationError(self.min_message or f"不能小于{self.min_value}。")
        if self.max_value is not None and d > self.max_value:
            raise serializers.ValidationError(self.max_message or f"不能大于{self.max_value}。")
        return d


# The kinds of field below are classes, not factories: DRF copies declared fields per serializer by
# calling the class again with the same arguments, so their settings are made where they are used.
class Money(DecimalValueField):
    def __init__(self, **kw):
        super().__init__(min_value=Decimal(0), min_message=MSG["negative"], **kw)


class SignedMoney(DecimalValueField):
    """Money that may be below zero (profits, taxes refunded)."""


@extend_schema_field(OpenApiTypes.INT)
class IntValueField(_Optional):
    def __init__(self, *, min_value=None, max_value=None, min_message=None, range_message=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        self.min_message, self.range_message = min_message, range_message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, float, Decimal)):
            raise serializers.ValidationError(MSG["integer"])
        if isinstance(data, int):
            n = data
        else:
            text = str(data).strip()
            if len(text) > 30:
                raise serializers.ValidationError(self.range_message or MSG["too_large"])
            try:
                d = Decimal(text)
            except (InvalidOperation, ValueError):
                raise serializers.ValidationError(MSG["integer"])
            if not d.is_finite() or abs(d) >= MONEY_LIMIT or d != d.to_integral_value():
                raise serializers.ValidationError(MSG["integer"])
            n = int(d)
        if self.min_value is not None and n < self.min_value:
            raise serializers.ValidationError(self.range_message or self.min_message or f"不能小于{self.min_value}。")
        if self.max_value is not None and n > self.max_value:
            raise serializers.ValidationError(self.range_message or f"不能大于{self.max_value}。")
        return n


class Count(IntValueField):
    def __init__(self, **kw):
        super().__init__(min_value=0, max_value=10_000_000, min_message=MSG["negative"], **kw)


class Year(IntValueField):
    def __init__(self, **kw):
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, range_message=MSG["year"], **kw)


@extend_schema_field(OpenApiTypes.BOOL)
class BoolValueField(_Optional):
    TRUE = {"true", "1", "yes", "是"}
    FALSE = {"false", "0", "no", "否"}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, int) and data in (0, 1):
            return bool(data)
        if isinstance(data, str):
            s = data.strip().lower()
            if s in self.TRUE:
                return True
            if s in self.FALSE:
                return False
        raise serializers.ValidationError(MSG["bool"])


@extend_schema_field(OpenApiTypes.STR)
class TextField(_Optional):
    def __init__(self, *, max_length, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        return serializers.Field.validate_empty_values(self, data)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, Decimal, float)):
            raise serializers.ValidationError(MSG["string"])
        s = _check_text(str(data)).strip()
        if len(s) > self.max_length:
            raise serializers.ValidationError(f"不能超过{self.max_length}个字符。")
        return s


@extend_schema_field(OpenApiTypes.DATE)
class DateValueField(_Optional):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(MSG["date"])
        s = data.strip()
        if len(s) > 10 and s[10] in "T ":
            s = s[:10]
        try:
            return date.fromisoformat(s)
        except (ValueError, TypeError):
            raise serializers.ValidationError(MSG["date"])


class Choice(serializers.ChoiceField):
    """One value of a fixed vocabulary; the message lists the allowed values."""

    def __init__(self, choices, *, casefold=False, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("error_messages", {"required": MSG["required"], "null": MSG["null"]})
        self.casefold = casefold
        super().__init__(choices, **kwargs)

    def validate_empty_values(self, data):
        if isinstance(data, str) and data.strip() == "" and self.allow_null:
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if data in self.choices:
                return data
            if self.casefold:
                for c in self.choices:
                    if c.lower() == data.strip().lower():
                        return c
        shown = _sanitize(data) if isinstance(data, (str, int, float, Decimal)) else type(data).__name__
        raise serializers.ValidationError(f"“{shown}”不是有效的取值，可选：{'、'.join(self.choices)}。")


@extend_schema_field(OpenApiTypes.STR)
class SuppliesField(_Optional):
    """The leading enterprise the product is supplied to: a name or true (yes); false, "" or null (none
    named: no). A product that leaves the key out is unknown (criteria/profile_input.py)."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str):
            s = _check_text(data).strip()
            if len(s) > 200:
                raise serializers.ValidationError("不能超过200个字符。")
            return s
        raise serializers.ValidationError("请填写龙头企业名称，或 true/false。")


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "decimal"},
                      "example": {"2023": "9000"}})
class RevenueByYearField(_Optional):
    """{"2023": "9000", ...}: product revenue per year."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(MSG["object"])
        if len(data) > 50:
            raise serializers.ValidationError("年度过多（最多50个）。")
        out, errors = {}, {}
        for key, value in data.items():
            k = str(key).strip()
            if not (k.isascii() and k.isdigit() and len(k) == 4 and YEAR_MIN <= int(k) <= YEAR_MAX):
                raise serializers.ValidationError(f"年度“{_sanitize(key)}”无效，{MSG['year']}")
            if value is None or (isinstance(value, str) and value.strip() == ""):
                continue
            try:
                d = to_decimal(value)
                if d < 0:
                    raise serializers.ValidationError(MSG["negative"])
                out[int(k)] = d
            except serializers.ValidationError as exc:
                errors[k] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return out


@extend_schema_field({"type": "object", "properties": {s: {"type": "integer", "minimum": 1} for s in RANK_SCOPES}})
class MarketRankField(_Optional):
    """{"province": 2, "domestic": 7, "global": null}: the product's market-share rank per scope."""

    rank = None

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(MSG["object"])
        unknown = [k for k in data if k not in RANK_SCOPES]
        if unknown:
            raise serializers.ValidationError(
                f"“{_sanitize(unknown[0])}”不是有效的排名范围，可选：{'、'.join(RANK_SCOPES)}。")
        field = IntValueField(min_value=1, max_value=1_000_000, range_message="排名应为1及以上的整数。")
        out, errors = {}, {}
        for scope, value in data.items():
            if value is None or (isinstance(value, str) and value.strip() == ""):
                continue
            try:
                out[scope] = field.to_internal_value(value)
            except serializers.ValidationError as exc:
                errors[scope] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return out


@extend_schema_field(OpenApiTypes.STR)
class ClaimField(_Optional):
    """"<tier>.<code>" (optionally "@<product>") of a judgment criterion the firm says it meets."""

    def __init__(self, **kwargs):
        kwargs["allow_null"] = False
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(MSG["string"])
        s = _check_text(data).strip()
        tier, dot, code = s.partition(".")
        if not dot or not code.split("@")[0] or len(s) > 200:
            raise serializers.ValidationError("声明的格式应为“层级.条目代码”，如 county_pool.M3e。")
        if tier not in Tier.values:
            raise serializers.ValidationError(
                f"“{_sanitize(tier)}”不是有效的层级，可选：{'、'.join(Tier.values)}。")
        return s


class _List(serializers.ListField):
    """An optional list of plain values."""

    def __init__(self, child, *, max_length=1000):
        super().__init__(child=child, required=False, allow_null=True, max_length=max_length,
                         error_messages={"not_a_list": MSG["list"], "null": MSG["null"],
                                         "max_length": f"最多{max_length}项。"})


class _Many(serializers.ListSerializer):
    """An optional list of objects, each checked by `serializer_class`."""
    default_error_messages = {"not_a_list": MSG["list"], "null": MSG["null"], "empty": MSG["list"],
                              "max_length": "最多{max_length}项。", "min_length": "至少{min_length}项。"}

    def __init__(self, serializer_class, *, max_length=1000):
        super().__init__(child=serializer_class(), required=False, allow_null=True, max_length=max_length)

    def run_child_validation(self, data):
        if data is None:
            raise serializers.ValidationError(MSG["null"])
        return super().run_child_validation(data)


class _Object(serializers.Serializer):
    default_error_messages = {"invalid": "应为 JSON 对象（{{...}}）。", "null": MSG["null"]}


# ------------------------------------------------------------------------------------------
# Serializers
# ------------------------------------------------------------------------------------------

class EnterpriseInputSerializer(_Object):
    registered_province = TextField(max_length=20)
    independent_legal_person = BoolValueField()
    founding_date = DateValueField()
    category = Choice(["M", "I"], casefold=True)
    industry_tags = _List(TextField(max_length=100, allow_null=False), max_length=100)
    years_in_niche = Count()
    years_in_field = Count()
    years_with_new_product = Count()
    high_tech_certified = BoolValueField()
    high_tech_valid_from = DateValueField()
    high_tech_valid_until = DateValueField()
    own_brand = BoolValueField()
    industry_average_margin = DecimalValueField(
        min_value=MARGIN_MIN, max_value=MARGIN_MAX, min_message=MARGIN_MESSAGE, max_message=MARGIN_MESSAGE)

    def validate(self, attrs):
        start, end = attrs.get("high_tech_valid_from"), attrs.get("high_tech_valid_until")
        if start and end and end < start:
            raise serializers.ValidationError({"high_tech_valid_until": ["有效期截止日期早于起始日期。"]})
        return attrs


def _figure_field(name):
    if name in FiscalYearRecord.COUNT_FIGURES:
        return Count()
    return SignedMoney() if name in FiscalYearRecord.SIGNED_FIGURES else Money()


class FinancialInputSerializer(_Object):
    year = Year(required=True, allow_null=False)

    def get_fields(self):
        # The yearly figures are named once, on FiscalYearRecord; the API takes the same names.
        return {**super().get_fields(), **{name: _figure_field(name) for name in FiscalYearRecord.FIGURES}}


class ProductInputSerializer(_Object):
    name = TextField(max_length=100)
    revenue = RevenueByYearField()
    market_rank = MarketRankField()
    supplies_leading_enterprise = SuppliesField()
    key_field = BoolValueField()
    strategic_emerging = BoolValueField()


class IPInputSerializer(_Object):
    type = Choice(IP_TYPES, required=True, allow_null=False)
    status = Choice(IP_STATUSES)
    product = TextField(max_length=100)
    number = TextField(max_length=100)
    high_value = BoolValueField()
    self_developed = BoolValueField()


class RDInstitutionInputSerializer(_Object):
    level = Choice(LEVELS)
    joint = BoolValueField()


class LevelInputSerializer(_Object):
    level = Choice(LEVELS)


class CertificationInputSerializer(_Object):
    kind = Choice(CertificationKind.values)


class StandardInputSerializer(_Object):
    level = Choice(STANDARD_LEVELS)
    role = Choice(StandardRole.values)


class InformationSystemInputSerializer(_Object):
    kind = Choice(SystemKind.values, casefold=True)


class BadRecordInputSerializer(_Object):
    kind = Choice(BAD_RECORD_KINDS)
    date = DateValueField()


RECOGNITION_TIERS = list(dict.fromkeys([*Tier.values, *RecognitionKind.values]))


class RecognitionInputSerializer(_Object):
    tier = Choice(RECOGNITION_TIERS)
    year = Year()


AWARD_KINDS = ["science"]
AWARD_LEVELS = ["national", "province"]
HONOUR_KINDS = ["tech_innovation_demo", "ip_advantage", "ip_demo"]


class AwardInputSerializer(_Object):
    """A science and technology award (创新型中小企业 direct route 1)."""

    kind = Choice(AWARD_KINDS)
    level = Choice(AWARD_LEVELS)
    year = Year()


class HonourInputSerializer(_Object):
    """An honour with its validity (创新型中小企业 direct route 2)."""

    kind = Choice(HONOUR_KINDS, required=True, allow_null=False)
    valid_until = DateValueField()


class SelfAssessmentRequestSerializer(_Object):
    assessment_year = Year()
    tiers = _List(Choice(Tier.values, allow_null=False), max_length=20)
    enterprise = EnterpriseInputSerializer(required=False, allow_null=True)
    financials = _Many(FinancialInputSerializer, max_length=50)
    products = _Many(ProductInputSerializer, max_length=100)
    ip = _Many(IPInputSerializer, max_length=5000)
    rd_institutions = _Many(RDInstitutionInputSerializer)
    brands = _Many(LevelInputSerializer)
    certifications = _Many(CertificationInputSerializer)
    standards = _Many(StandardInputSerializer)
    information_systems = _Many(InformationSystemInputSerializer)
    competitions = _Many(LevelInputSerializer)
    bad_records = _Many(BadRecordInputSerializer)
    recognitions = _Many(RecognitionInputSerializer)
    awards = _Many(AwardInputSerializer)
    honours = _Many(HonourInputSerializer)
    claims = _List(ClaimField(), max_length=500)

    def validate(self, attrs):
        seen, errors = {}, {}
        for i, f in enumerate(attrs.get("financials") or ()):
            if f["year"] in seen:
                errors[i] = {"year": [f"年度{f['year']}重复（与第{seen[f['year']] + 1}条相同）。"]}
            seen.setdefault(f["year"], i)
        if errors:
            raise serializers.ValidationError({"financials": errors})
        return attrs


# ------------------------------------------------------------------------------------------
# Running it
# ------------------------------------------------------------------------------------------

class SelfAssessmentError(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def flatten_errors(detail, path="") -> dict[str, list[str]]:
    """DRF's nested error structure as {"financials[0].year": ["..."]}."""
    out: dict[str, list[str]] = {}

    def walk(d, p):
        if isinstance(d, dict):
            for k, v in d.items():
                if k in ("non_field_errors", None):
                    walk(v, p)
                elif isinstance(k, int):
                    walk(v, f"{p}[{k}]")
                else:
                    key = _sanitize(k, 60)
                    walk(v, f"{p}.{key}" if p else key)
        elif isinstance(d, list):
            if all(not isinstance(x, (dict, list)) for x in d):
                msgs = [str(x) for x in d if str(x)]
                if msgs:
                    out.setdefault(p, []).extend(msgs)
            else:
                for i, v in enumerate(d):
                    if v:
                        walk(v, f"{p}[{i}]")
        elif d:
            out.setdefault(p, []).append(str(d))

    walk(detail, path)
    return out


def parse_body(raw: bytes) -> object:
    """The request body as JSON, numbers with a fraction or exponent as Decimal; NaN/Infinity refused."""
    def no_constants(name):
        raise ValueError(name)

    try:
        text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else str(raw)
        return json.loads(text, parse_float=Decimal, parse_constant=no_constants)
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError):
        raise SelfAssessmentError({"body": [MSG["not_json"]]})


def validate_request(data) -> dict:
    """Validated request data (Decimal money, int years, date dates); raises SelfAssessmentError."""
    if not isinstance(data, dict):
        raise SelfAssessmentError({"body": [MSG["not_object"]]})
    serializer = SelfAssessmentRequestSerializer(data=data)
    try:
        valid = serializer.is_valid()
    except RecursionError:
        raise SelfAssessmentError({"body": ["请求数据嵌套过深。"]})
    if not valid:
        raise SelfAssessmentError(flatten_errors(serializer.errors) or {"body": ["请求数据无效。"]})
    return _plain(serializer.validated_data)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def latest_year():
    """The last assessment year an edition may judge: next calendar year."""
    return timezone.localdate().year + 1


def editions_for(year, tiers=None, *, field="assessment_year"):
    """Published editions judging `year` (for `tiers`, or every tier); SelfAssessmentError if any is missing."""
    if year > latest_year():
        raise SelfAssessmentError({field: [f"{year}年尚无已发布的认定标准（最晚可评估{latest_year()}年）。"]})
    editions = Edition.objects.judging(year, tiers or None)
    if tiers:
        found = {e.tier for e in editions}
        missing = [t for t in dict.fromkeys(tiers) if t not in found]
        if missing:
            names = "、".join(str(Tier(t).label) for t in missing)
            raise SelfAssessmentError({field: [f"{year}年没有已发布的认定标准：{names}{FIRST_EDITION_NOTE}。"]})
    if not editions:
        raise SelfAssessmentError({field: [f"{year}年没有已发布的认定标准{FIRST_EDITION_NOTE}。"]})
    return editions


def taxonomies():
    return taxonomy_map() or DEFAULT_TAXONOMIES


def evaluate_request(data: dict):
    """(response dict, [TierResult]) for validated request data."""
    year = data.get("assessment_year") or default_year()
    tiers = list(dict.fromkeys(data.get("tiers") or ()))
    editions = editions_for(year, tiers)
    try:
        profile = profile_from_request(data, taxonomies())
        results = [engine.evaluate_tier(profile, e.to_spec(), year) for e in editions]
    except (ArithmeticError, ValueError, TypeError, OverflowError, KeyError) as exc:
        logger.exception("self-assessment failed on input")
        raise SelfAssessmentError({"body": [f"无法根据所填数据完成评估，请检查输入（{type(exc).__name__}）。"]})
    return {"assessment_year": year, "tiers": [r.to_dict() for r in results]}, results


def run_self_assessment(data):
    """Validate a request body (already parsed from JSON) and score it; stores nothing."""
    return evaluate_request(validate_request(data))
