from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from enterprises import models as m


def valid_uscc(n):
    body = f"91320831MA{n:07d}"
    return body + uscc.calc_check_digit(body + "0")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Town
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 5000))
    town = factory.SubFactory(TownFactory)
    category = m.Category.MANUFACTURING
    founding_date = date(2012, 5, 1)
    independent_legal_person = True


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FiscalYearRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    operating_revenue = Decimal("3000.00")
    main_business_revenue = Decimal("2800.00")
    operating_profit = Decimal("200.00")
    total_profit = Decimal("210.00")
    net_profit = Decimal("180.00")
    taxes_paid = Decimal("120.00")
    rd_expense = Decimal("90.00")
    total_assets = Decimal("4000.00")
    total_liabilities = Decimal("1800.00")
    employees = 80
    rd_staff = 12
    equity_financing = Decimal("0")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"产品{n}")
    rank_province = 3


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")
