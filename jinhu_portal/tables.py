"""django-tables2 columns that show figures the way every page does (see templatetags/portal_format.py).

`MoneyColumn(verbose_name=_("营业收入"))` heads its column "营业收入（万元）" and shows "1,234.56";
`PercentColumn` shows "12.3%"; `NumberColumn` shows counts with thousands separators. All three
right-align and never wrap.

On a phone a table with the `table-stack` class (static/css/portal.css) shows each row as a small
card, every cell with its column's name before it: `STACKED_TABLE_ATTRS` puts that name into each
cell's ``data-label``; `TITLE_ATTRS` marks the cell that heads the card (the firm's name).
"""
import django_tables2 as tables
from django.utils.html import strip_tags
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .templatetags.portal_format import format_money, format_number, format_percent


def header_label(bound_column):
    """The column's name as plain text, for a stacked cell's label (none for the check-box column)."""
    if isinstance(bound_column.column, tables.CheckBoxColumn):
        return None
    return strip_tags(str(bound_column.header)).strip() or None


def stacked_table_attrs(css_class="table table-sm table-hover align-middle", **attrs):
    """Meta.attrs of a table that stacks its rows on a phone."""
    return {"class": f"{css_class} table-stack", "td": {"data-label": header_label}, **attrs}


TITLE_ATTRS = {"td": {"class": "stack-title"}}
CHECK_ATTRS = {"td": {"class": "stack-check"}}
NOWRAP_ATTRS = {"td": {"class": "text-nowrap", "data-label": header_label}}
FIGURE_ATTRS = {"th": {"class": "text-end text-nowrap"},
                "td": {"class": "text-end text-nowrap", "data-label": header_label}}


class _FigureColumn(tables.Column):
    unit = None

    def __init__(self, *args, verbose_name=None, places=None, **kwargs):
        if verbose_name is not None and self.unit:
            verbose_name = format_lazy("{}（{}）", verbose_name, self.unit)
        kwargs.setdefault("attrs", FIGURE_ATTRS)
        self.places = places
        super().__init__(*args, verbose_name=verbose_name, **kwargs)

    def value(self, value):
        return value        # exports get the plain number


class MoneyColumn(_FigureColumn):
    unit = _("万元")

    def render(self, value):
        return format_money(value, 2 if self.places is None else self.places)


class PercentColumn(_FigureColumn):
    def render(self, value):
        return format_percent(value, 1 if self.places is None else self.places)


class NumberColumn(_FigureColumn):
    def render(self, value):
        return format_number(value, self.places)
