from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def non_negative(label):
    return MinValueValidator(Decimal("0"), message=_("%(label)s不能为负数。") % {"label": label})


def money(label, *, signed=False, **kwargs):
    """An amount in 万元 with two decimals; unknown is NULL, never zero."""
    validators = [] if signed else [non_negative(label)]
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True,
        validators=validators, help_text=_("单位：万元"), **kwargs)


def head_count(label):
    return models.PositiveIntegerField(label, null=True, blank=True, validators=[non_negative(label)])


def rank(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True,
        validators=[MinValueValidator(1, message=_("%(label)s必须是不小于1的整数。") % {"label": label})])


def year(label=_("年度")):
    from django.core.validators import MaxValueValidator

    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(1949, message=_("年度不能早于1949年。")),
                    MaxValueValidator(2100, message=_("年度不能晚于2100年。"))])
