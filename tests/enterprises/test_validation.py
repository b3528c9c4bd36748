"""Bad input is refused with a Chinese message naming the field, in the form, the admin and the API,
and nothing is saved."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.forms import EnterpriseForm, FiscalYearForm
from enterprises.models import Enterprise, FiscalYearRecord, Product

from ..factories import EnterpriseFactory, FiscalYearFactory, valid_uscc

GOOD = valid_uscc(42)
BAD_CHECK = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def enterprise_form_data(town, **overrides):
    return {"name": "新注册企业", "uscc": GOOD, "town": town.pk, "registered_province": "江苏",
            "category": "M", **overrides}


def test_valid_uscc_is_accepted_by_the_model(town):
    firm = Enterprise(name="甲", uscc=GOOD, town=town)
    firm.full_clean()


def test_wrong_uscc_check_character_is_rejected_in_the_form(town):
    form = EnterpriseForm(enterprise_form_data(town, uscc=BAD_CHECK))
    assert not form.is_valid()
    assert "校验位不正确" in form.errors["uscc"][0]
    assert not Enterprise.objects.exists()


def test_malformed_uscc_is_rejected_with_a_format_message(town):
    form = EnterpriseForm(enterprise_form_data(town, uscc="12345"))
    assert not form.is_valid()
    assert "统一社会信用代码" in form.errors["uscc"][0]


def test_duplicate_uscc_is_rejected_in_the_form(town):
    EnterpriseFactory(uscc=GOOD, town=town)
    form = EnterpriseForm(enterprise_form_data(town))
    assert not form.is_valid()
    assert "统一社会信用代码已被其他企业使用" in form.errors["uscc"][0]
    assert Enterprise.objects.count() == 1


def test_lower_case_uscc_is_normalised_before_the_duplicate_check(town):
    EnterpriseFactory(uscc=valid_uscc(7), town=town)
    form = EnterpriseForm(enterprise_form_data(town, uscc=valid_uscc(7).lower()))
    assert not form.is_valid()
    assert "uscc" in form.errors


def test_second_record_for_the_same_firm_and_year_is_rejected_in_the_form(firm):
    FiscalYearFactory(enterprise=firm, year=2023)
    form = FiscalYearForm({"year": 2023, "operating_revenue": "100"}, parent=firm)
    assert not form.is_valid()
    assert "本年度的财务数据已存在" in str(form.errors)
    assert FiscalYearRecord.objects.filter(enterprise=firm).count() == 1


def test_negative_revenue_is_rejected_in_the_form_but_a_loss_is_allowed(firm):
    form = FiscalYearForm({"year": 2023, "operating_revenue": "-1", "total_profit": "-50"}, parent=firm)
    assert not form.is_valid()
    assert form.errors["operating_revenue"] == ["营业收入不能为负数。"]
    assert "total_profit" not in form.errors
    assert not FiscalYearRecord.objects.exists()


def test_main_business_revenue_above_operating_revenue_is_rejected(firm):
    form = FiscalYearForm({"year": 2023, "operating_revenue": "100", "main_business_revenue": "120"}, parent=firm)
    assert not form.is_valid()
    assert "主营业务收入不能大于营业收入" in form.errors["main_business_revenue"][0]


def test_rank_of_zero_is_rejected_by_the_model(firm):
    product = Product(enterprise=firm, name="阀门", rank_province=0)
    with pytest.raises(ValidationError) as exc:
        product.full_clean()
    assert "省内市场占有率排名必须是不小于1的整数" in exc.value.message_dict["rank_province"][0]


def test_database_refuses_a_negative_revenue_even_without_validation(firm):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYearRecord.objects.create(enterprise=firm, year=2020, operating_revenue=Decimal("-5"))


# --- the API ---------------------------------------------------------------------------------

def test_api_rejects_a_wrong_uscc_naming_the_field(client, bob, town):
    client.force_login(bob)
    response = client.post(reverse("api:enterprise-list"), {"name": "甲", "uscc": BAD_CHECK, "town": town.pk},
                           content_type="application/json")
    assert response.status_code == 400
    assert "校验位不正确" in response.json()["uscc"][0]
    assert not Enterprise.objects.exists()


def test_api_rejects_a_duplicate_uscc(client, bob, town):
    EnterpriseFactory(uscc=GOOD, town=town)
    client.force_login(bob)
    response = client.post(reverse("api:enterprise-list"), {"name": "甲", "uscc": GOOD, "town": town.pk},
                           content_type="application/json")
    assert response.status_code == 400
    assert "已被其他企业使用" in response.json()["uscc"][0]


def test_api_rejects_a_second_record_for_the_same_year(client, bob, firm):
    FiscalYearFactory(enterprise=firm, year=2023)
    client.force_login(bob)
    response = client.post(reverse("api:fiscalyear-list"), {"enterprise": firm.pk, "year": 2023},
                           content_type="application/json")
    assert response.status_code == 400
    assert "本年度的财务数据已存在" in str(response.json())
    assert FiscalYearRecord.objects.count() == 1


def test_api_rejects_a_negative_revenue_naming_the_field(client, bob, firm):
    client.force_login(bob)
    response = client.post(reverse("api:fiscalyear-list"),
                           {"enterprise": firm.pk, "year": 2024, "operating_revenue": "-3"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["operating_revenue"] == ["营业收入不能为负数。"]
    assert not FiscalYearRecord.objects.exists()


def test_api_rejects_a_rank_of_zero(client, bob, firm):
    client.force_login(bob)
    response = client.post(reverse("api:product-list"), {"enterprise": firm.pk, "name": "阀门", "rank_province": 0},
                           content_type="application/json")
    assert response.status_code == 400
    assert "不小于1" in response.json()["rank_province"][0]
    assert not Product.objects.exists()


def test_enterprise_user_cannot_post_figures_for_another_firm(client, alice, other_firm):
    # Nor for its own: its figures change through an approved declaration (enterprises/permissions.py).
    client.force_login(alice)
    response = client.post(reverse("api:fiscalyear-list"), {"enterprise": other_firm.pk, "year": 2024},
                           content_type="application/json")
    assert response.status_code == 403
    assert not FiscalYearRecord.objects.exists()


# --- the admin -------------------------------------------------------------------------------

INLINES = ["fiscal_years", "products", "ipitems", "recognitions"]


def _management(prefixes):
    data = {}
    for p in prefixes:
        data.update({f"{p}-TOTAL_FORMS": "0", f"{p}-INITIAL_FORMS": "0", f"{p}-MIN_NUM_FORMS": "0",
                     f"{p}-MAX_NUM_FORMS": "1000"})
    return data


def test_admin_rejects_a_wrong_uscc(client, root, town):
    client.force_login(root)
    data = {**enterprise_form_data(town, uscc=BAD_CHECK), "pool_status": "none", **_management(INLINES)}
    response = client.post(reverse("admin:enterprises_enterprise_add"), data)
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_admin_rejects_a_duplicate_year_and_a_negative_revenue(client, root, firm):
    FiscalYearFactory(enterprise=firm, year=2023)
    client.force_login(root)
    url = reverse("admin:enterprises_fiscalyearrecord_add")
    response = client.post(url, {"enterprise": firm.pk, "year": 2023})
    assert "本年度的财务数据已存在" in response.content.decode()
    response = client.post(url, {"enterprise": firm.pk, "year": 2024, "operating_revenue": "-1"})
    assert "营业收入不能为负数" in response.content.decode()
    assert FiscalYearRecord.objects.count() == 1


def test_admin_rejects_a_rank_of_zero(client, root, firm):
    client.force_login(root)
    data = {"enterprise": firm.pk, "name": "阀门", "rank_province": "0", **_management(["revenues"])}
    response = client.post(reverse("admin:enterprises_product_add"), data)
    assert "不小于1" in response.content.decode()
    assert not Product.objects.exists()
