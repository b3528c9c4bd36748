"""One way to show numbers on every page: `{% load portal_format %}`.

- ``{{ x|wan }}``: money in 万元, two decimals and thousands separators ("1,234.56"); the unit goes
  in the column header or the label, not after every figure.
- ``{{ x|num }}``: a count or measure with thousands separators, keeping the decimals it has
  ("11000.00" -> "11,000.00", 1234 -> "1,234"); ``{{ x|num:1 }}`` rounds to one decimal.
- ``{{ x|pct }}``: a percentage (the value is already in per cent): 12.345 -> "12.3%";
  ``{{ x|pct:2 }}`` for two decimals.
- ``{{ x|measure:unit }}``: a figure with its unit, as the criteria tables show them:
  "11,000.00万元", "12.50%", "3项".
- ``{{ user|person }}``: a person's full name, the login only when no name was entered.

Empty values (None, "") show as "—". Anything that is not a number (a date, "是") is shown as is.
The same functions serve Python code (tables, exports) through `jinhu_portal.tables`.
"""
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

EMPTY = "—"
MONEY_PLACES = 2


def to_decimal(value):
    """Decimal for a number or a numeric string; None for anything else (bool included)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def format_number(value, places=None):
    """'1,234.56': thousands separators; `places` decimals (rounded half up) or the value's own."""
    if value is None or value == "":
        return EMPTY
    d = to_decimal(value)
    if d is None:
        return str(value)
    if places is None:
        if d.as_tuple().exponent > 0:      # 1E+3 and the like: show as an integer
            d = d.quantize(Decimal(1))
    else:
        d = d.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)                          # no "-0.00"
    return f"{d:,}" if places is None else f"{d:,.{int(places)}f}"


def format_money(value, places=MONEY_PLACES):
    return format_number(value, places)


def format_percent(value, places=1):
    text = format_number(value, places)
    return text if text == EMPTY or to_decimal(value) is None else f"{text}%"


def format_measure(value, unit=""):
    """A figure with its unit, keeping its own decimals, written together as Chinese text writes them
    ("2,000万元", "12.50%", "3项"); a value that is not a number is shown as is."""
    if value is None or value == "":
        return EMPTY
    if to_decimal(value) is None:
        return str(value)
    if unit == "%":
        return format_percent(value, None)
    return f"{format_number(value)}{unit or ''}"


def person_name(user):
    """The name a reader knows a person by: full name, else the login; "" for nobody."""
    if user is None:
        return ""
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or str(user)


@register.filter
def wan(value, places=MONEY_PLACES):
    return format_money(value, places)


@register.filter
def num(value, places=None):
    return format_number(value, places)


@register.filter
def pct(value, places=1):
    return format_percent(value, places)


@register.filter
def measure(value, unit=""):
    return format_measure(value, unit)


@register.filter
def person(user):
    return person_name(user)


_MONEY_IN_TEXT = re.compile(r"(?<![\d.,])(-?\d{4,})(\.\d+)?(?=\s*万?元)")


def group_money_in_text(text):
    """Thousands separators for the amounts in a sentence the engine wrote ("差1444.77万元" →
    "差1,444.77万元"); the engine imports no Django, so its words are formatted where they are shown.
    Only numbers followed by 元 or 万元 change: years (2025年) and counts stay as they are."""
    if not text:
        return text
    return _MONEY_IN_TEXT.sub(lambda m: f"{int(m.group(1)):,}{m.group(2) or ''}", str(text))


@register.filter
def amounts(text):
    return group_money_in_text(text)
