"""The permission matrix, field by field: for every role and every field an API serializer lets
anyone write, a test tries the write and reads the stored value back. Allowed (the field is in
`enterprises.permissions.WRITABLE_FIELDS` for the role) it lands; refused it answers 403 (naming
the field when the role may write some other field of the record) and the stored value is unchanged.

A serializer or form that gains a writable field the definition does not mention fails
`test_every_writable_api_field_is_in_the_definition_and_in_this_walk`, so nobody can add a field
without deciding who may write it.
"""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from enterprises import forms as enterprise_forms
from enterprises.models import Enterprise, FiscalYearRecord, IndustryTag, Product
from enterprises.permissions import FIRM_OWN_FIELDS, READ_ONLY_FIELDS, WRITABLE_FIELDS, field_label, mentioned_fields
from jinhu_portal.api_urls import router
from jinhu_portal.roles import GROUP_NAMES, Role

from services.models import Visit

from ..factories import FiscalYearFactory, ProductFactory, UserFactory, VisitFactory, valid_uscc

ROLE_OF = {"alice": Role.ENTERPRISE, "dave": Role.TOWN_OFFICER, "bob": Role.STAFF, "carol": Role.LEADER,
           "erin": Role.MEMBER_UNIT, "root": Role.ADMIN}
USERS = list(ROLE_OF)


# ------------------------------------------------------------------------------------------------
# The API's writable fields, found by walking the router
# ------------------------------------------------------------------------------------------------

def _serializer_classes(viewset):
    """The serializers a viewset writes with: the create one and the update one."""
    for action in ("create", "partial_update"):
        if not hasattr(viewset, action):
            continue
        view = viewset()
        view.action, view.request, view.format_kwarg, view.kwargs = action, None, None, {}
        yield view.get_serializer_class()


def _writable_endpoints():
    """[(basename, model, {writable field names})] for every viewset of the API that writes."""
    endpoints = []
    for _prefix, viewset, basename in router.registry:
        classes = list(_serializer_classes(viewset))
        if not classes:
            continue
        names = set()
        for cls in classes:
            names |= {name for name, field in cls().fields.items() if not field.read_only}
        endpoints.append((basename, classes[0].Meta.model, names))
    return endpoints


ENDPOINTS = _writable_endpoints()
BASENAME = {model: basename for basename, model, _names in ENDPOINTS}


def new_values(w):
    """A valid value for every writable field, different from what the records below store."""
    return {
        Enterprise: {
            "name": "改名后的企业", "uscc": valid_uscc(777), "town": w["other_town"].pk, "category": "I",
            "industry_tags": [w["tag"].pk], "registered_province": "浙江", "independent_legal_person": False,
            "founding_date": "2001-02-03", "main_business": "新主营业务", "years_in_niche": 17,
            "years_in_field": 18, "years_with_new_product": 9, "high_tech_certified": True,
            "high_tech_valid_from": "2021-01-01", "high_tech_valid_until": "2030-12-31", "own_brand": True,
            "industry_average_margin": "7.25", "contact_person": "新联系人", "contact_phone": "0517-86000000",
            "liaison_officer": "新联络员",
        },
        FiscalYearRecord: {
            "enterprise": w["other_firm"].pk, "year": 2019, "operating_revenue": "99999.00",
            "main_business_revenue": "1.00", "operating_profit": "-5.00", "total_profit": "-6.00",
            "net_profit": "-7.00", "taxes_paid": "121.50", "rd_expense": "91.50", "total_assets": "4001.00",
            "total_liabilities": "1801.00", "employees": 9999, "rd_staff": 1, "equity_financing": "55.00",
        },
        Visit: {
            "enterprise": w["other_firm"].pk, "visited_on": "2023-03-04", "visitor": w["person"].pk,
            "companions": "县科技局张科长", "topics": "新的走访主题", "notes": "新的走访情况",
        },
        Product: {
            "enterprise": w["other_firm"].pk, "name": "新产品名", "rank_province": 1, "rank_domestic": 7,
            "rank_global": 50, "supply_chain_customer": "龙头客户", "key_field": True, "strategic_emerging": True,
        },
    }


@pytest.fixture
def w(firm, other_firm, town, other_town):
    return {"firm": firm, "other_firm": other_firm, "town": town, "other_town": other_town,
            "tag": IndustryTag.objects.create(taxonomy="county_leading", name="高端装备"),
            FiscalYearRecord: FiscalYearFactory(enterprise=firm, year=2023),
            Product: ProductFactory(enterprise=firm, name="阀门"), Enterprise: firm,
            Visit: VisitFactory(enterprise=firm), "person": UserFactory(username="visitor2")}


def stored(model, pk, name):
    obj = model.objects.get(pk=pk)
    field = model._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(obj, name).values_list("pk", flat=True))
    return getattr(obj, field.attname)


def as_stored(model, name, value):
    field = model._meta.get_field(name)
    if field.many_to_many:
        return sorted(value)
    return field.target_field.to_python(value) if field.is_relation else field.to_python(value)


def allowed(user, model, name):
    return name in WRITABLE_FIELDS[model][ROLE_OF[user]]


def writes_some_field(user, model):
    return bool(WRITABLE_FIELDS[model][ROLE_OF[user]])


FIELD_CASES = [(model, name, user) for _b, model, names in ENDPOINTS for name in sorted(names) for user in USERS]


@pytest.mark.parametrize("model,name,user", FIELD_CASES,
                         ids=[f"{m.__name__}.{n}-{u}" for m, n, u in FIELD_CASES])
def test_a_patch_of_one_field_lands_only_for_the_roles_that_may_write_it(client, request, w, model, name, user):
    client.force_login(request.getfixturevalue(user))
    record = w[model]
    before = stored(model, record.pk, name)
    value = new_values(w)[model][name]
    response = client.patch(reverse(f"api:{BASENAME[model]}-detail", args=[record.pk]), {name: value},
                            content_type="application/json")
    if allowed(user, model, name):
        assert response.status_code == 200, response.content.decode()
        assert stored(model, record.pk, name) == as_stored(model, name, value)
    else:
        assert response.status_code == 403, response.content.decode()
        assert stored(model, record.pk, name) == before
        if writes_some_field(user, model):       # the refusal names the field
            label = field_label(model, name)
            assert response.json() == {name: [f"{Role(ROLE_OF[user]).label}不能修改此字段：{label}。"]}


CREATE_BODIES = {
    Enterprise: lambda w: {"name": "新企业", "uscc": valid_uscc(778), "town": w["town"].pk},
    FiscalYearRecord: lambda w: {"enterprise": w["firm"].pk, "year": 2020, "operating_revenue": "10.00"},
    Product: lambda w: {"enterprise": w["firm"].pk, "name": "新产品"},
    Visit: lambda w: {"enterprise": w["firm"].pk, "visited_on": "2024-05-06", "topics": "了解用工需求"},
}
RECORD_CASES = [(model, user) for _b, model, _n in ENDPOINTS for user in USERS]
RECORD_IDS = [f"{m.__name__}-{u}" for m, u in RECORD_CASES]


def writes_every_field(user, model):
    return set(WRITABLE_FIELDS[model][ROLE_OF[user]]) >= set(WRITABLE_FIELDS[model][Role.STAFF])


@pytest.mark.parametrize("model,user", RECORD_CASES, ids=RECORD_IDS)
def test_only_a_role_that_writes_every_field_may_create_a_record(client, request, w, model, user):
    client.force_login(request.getfixturevalue(user))
    count = model.objects.count()
    response = client.post(reverse(f"api:{BASENAME[model]}-list"), CREATE_BODIES[model](w),
                           content_type="application/json")
    if writes_every_field(user, model):
        assert response.status_code == 201, response.content.decode()
        assert model.objects.count() == count + 1
    else:
        assert response.status_code == 403
        assert model.objects.count() == count


@pytest.mark.parametrize("model,user", RECORD_CASES, ids=RECORD_IDS)
def test_only_a_role_that_writes_every_field_may_delete_a_record(client, request, w, model, user):
    client.force_login(request.getfixturevalue(user))
    record = w[model]
    response = client.delete(reverse(f"api:{BASENAME[model]}-detail", args=[record.pk]))
    if writes_every_field(user, model):
        assert response.status_code == 204
        assert not model.objects.filter(pk=record.pk).exists()
    else:
        assert response.status_code == 403
        assert model.objects.filter(pk=record.pk).exists()


# ------------------------------------------------------------------------------------------------
# The enterprise user's firm through the API: what a client really sends
# ------------------------------------------------------------------------------------------------

def test_an_enterprise_user_may_put_back_its_whole_firm_with_a_new_contact(client, alice, firm):
    client.force_login(alice)
    url = reverse("api:enterprise-detail", args=[firm.pk])
    body = client.get(url).json()
    body.update(contact_person="王经理", contact_phone="13800000000")
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    firm.refresh_from_db()
    assert (firm.contact_person, firm.contact_phone) == ("王经理", "13800000000")


def test_an_enterprise_user_moving_its_firm_to_another_town_is_refused_and_nothing_is_saved(
        client, alice, firm, town, other_town):
    client.force_login(alice)
    url = reverse("api:enterprise-detail", args=[firm.pk])
    body = client.get(url).json()
    body.update(town=other_town.pk, contact_person="王经理")
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"town": ["企业用户不能修改此字段：所属镇（街道、开发区）。"]}
    firm.refresh_from_db()
    assert firm.town == town and firm.contact_person != "王经理"


def test_every_forbidden_field_of_one_request_is_named(client, alice, firm):
    client.force_login(alice)
    response = client.patch(reverse("api:enterprise-detail", args=[firm.pk]),
                            {"uscc": valid_uscc(779), "industry_average_margin": "1.00", "years_in_niche": 30,
                             "main_business": "阀门"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"uscc": ["企业用户不能修改此字段：统一社会信用代码。"],
                               "industry_average_margin": ["企业用户不能修改此字段：同期同行业利润率（%）。"],
                               "years_in_niche": ["企业用户不能修改此字段：从事细分市场年限。"]}
    firm.refresh_from_db()
    assert firm.main_business != "阀门" and firm.industry_average_margin is None


def test_a_forbidden_field_is_refused_even_when_its_value_is_invalid(client, alice, firm):
    client.force_login(alice)
    response = client.patch(reverse("api:enterprise-detail", args=[firm.pk]), {"uscc": "不是代码"},
                            content_type="application/json")
    assert response.status_code == 403
    assert "uscc" in response.json()


def test_an_enterprise_user_may_not_change_or_delete_its_yearly_figures_or_products(client, alice, firm):
    record = FiscalYearFactory(enterprise=firm, year=2023)
    product = ProductFactory(enterprise=firm, name="阀门")
    client.force_login(alice)
    fy_url = reverse("api:fiscalyear-detail", args=[record.pk])
    assert client.patch(fy_url, {"operating_revenue": "1.00"}, content_type="application/json").status_code == 403
    assert client.delete(fy_url).status_code == 403
    product_url = reverse("api:product-detail", args=[product.pk])
    assert client.patch(product_url, {"rank_province": 1}, content_type="application/json").status_code == 403
    assert client.delete(product_url).status_code == 403
    assert client.get(fy_url).status_code == 200 and client.get(product_url).status_code == 200
    record.refresh_from_db()
    assert record.operating_revenue == Decimal("3000.00")
    assert Product.objects.get(pk=product.pk).rank_province == 3


def test_staff_get_a_message_not_a_server_error_for_a_certificate_ending_before_it_starts(client, bob, firm):
    client.force_login(bob)
    response = client.patch(reverse("api:enterprise-detail", args=[firm.pk]),
                            {"high_tech_valid_from": "2024-01-01", "high_tech_valid_until": "2023-01-01"},
                            content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"high_tech_valid_until": ["高新技术企业证书有效期止不能早于有效期起。"]}


# ------------------------------------------------------------------------------------------------
# The HTML forms
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["alice", "bob", "root"])
def test_the_firm_form_offers_exactly_the_fields_the_role_may_write(client, request, firm, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("enterprises:update", args=[firm.pk]))
    assert response.status_code == 200
    offered = set(response.context["form"].fields)
    assert offered == set(enterprise_forms.EnterpriseForm.Meta.fields) & set(WRITABLE_FIELDS[Enterprise][ROLE_OF[user]])
    note = "在申报的“基本信息”步骤中更新" in response.content.decode()
    assert note == (user == "alice")


def test_the_enterprise_users_form_offers_its_contact_fields_only(client, alice, firm):
    client.force_login(alice)
    html = client.get(reverse("enterprises:update", args=[firm.pk])).content.decode()
    assert set(FIRM_OWN_FIELDS) == {"address", "main_business", "contact_person", "contact_phone"}
    for name in ("name", "uscc", "town", "industry_tags", "years_in_niche", "liaison_officer"):
        assert f'name="{name}"' not in html
    assert 'name="contact_person"' in html


def test_a_forged_post_of_fields_not_offered_changes_nothing_but_the_offered_ones(client, alice, firm, town,
                                                                                  other_town):
    tag = IndustryTag.objects.create(taxonomy="county_leading", name="高端装备")
    before = {f: getattr(firm, f) for f in ("name", "uscc", "liaison_officer", "years_in_niche", "category",
                                            "founding_date", "industry_average_margin")}
    client.force_login(alice)
    response = client.post(reverse("enterprises:update", args=[firm.pk]), {
        "name": "伪造名称", "uscc": valid_uscc(780), "town": other_town.pk, "industry_tags": [tag.pk],
        "liaison_officer": "伪造", "years_in_niche": 30, "category": "I", "founding_date": "2000-01-01",
        "industry_average_margin": "0.01", "pool_status": "in_pool",
        "contact_person": "王经理", "contact_phone": "13800000000", "address": "金湖县工业园区1号",
        "main_business": "阀门"})
    assert response.status_code == 302
    firm.refresh_from_db()
    assert {f: getattr(firm, f) for f in before} == before
    assert firm.town == town and not firm.industry_tags.exists() and firm.pool_status == "none"
    assert (firm.contact_person, firm.contact_phone, firm.address, firm.main_business) == (
        "王经理", "13800000000", "金湖县工业园区1号", "阀门")


def test_staff_change_identity_town_and_staff_set_fields_in_the_firm_form(client, bob, firm, other_town):
    tag = IndustryTag.objects.create(taxonomy="county_leading", name="高端装备")
    client.force_login(bob)
    response = client.post(reverse("enterprises:update", args=[firm.pk]), {
        "name": "新名称", "uscc": valid_uscc(781), "town": other_town.pk, "industry_tags": [tag.pk],
        "registered_province": "江苏", "category": "I", "liaison_officer": "李联络员",
        "industry_average_margin": "6.50", "years_in_niche": 12, "founding_date": "2010-01-01"})
    assert response.status_code == 302, response.context["form"].errors
    firm.refresh_from_db()
    assert (firm.name, firm.uscc, firm.town, firm.category, firm.liaison_officer) == (
        "新名称", valid_uscc(781), other_town, "I", "李联络员")
    assert firm.industry_average_margin == Decimal("6.50") and firm.founding_date == date(2010, 1, 1)
    assert list(firm.industry_tags.all()) == [tag]


def test_an_enterprise_user_cannot_add_or_edit_yearly_figures_in_the_html_forms(client, alice, firm):
    record = FiscalYearFactory(enterprise=firm, year=2023)
    client.force_login(alice)
    response = client.post(reverse("enterprises:fiscal_year_update", args=[firm.pk, 2023]),
                           {"year": 2023, "operating_revenue": "1.00"})
    assert response.status_code == 403
    response = client.post(reverse("enterprises:fiscal_year_create", args=[firm.pk]),
                           {"year": 2024, "operating_revenue": "1.00"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.operating_revenue == Decimal("3000.00")
    assert list(firm.fiscal_years.values_list("year", flat=True)) == [2023]


@pytest.mark.parametrize("user,can_edit,can_edit_figures",
                         [("alice", True, False), ("dave", False, False), ("bob", True, True)])
def test_the_firm_page_says_what_the_user_may_edit(client, request, firm, user, can_edit, can_edit_figures):
    client.force_login(request.getfixturevalue(user))
    context = client.get(reverse("enterprises:detail", args=[firm.pk])).context
    assert (context["can_edit"], context["can_edit_figures"]) == (can_edit, can_edit_figures)


# ------------------------------------------------------------------------------------------------
# Guards: the definition covers every writable field, and the model permissions agree with it
# ------------------------------------------------------------------------------------------------

def test_every_writable_api_field_is_in_the_definition_and_in_this_walk(w):
    values = new_values(w)
    assert ENDPOINTS, "the router lists no writable endpoint"
    for basename, model, names in ENDPOINTS:
        assert model in WRITABLE_FIELDS, f"{basename}: {model.__name__} 未列入 WRITABLE_FIELDS"
        unknown = names - mentioned_fields(model)
        assert not unknown, f"{basename}: 可写字段未列入 enterprises/permissions.py: {sorted(unknown)}"
        untested = names - set(values[model])
        assert not untested, f"{basename}: 可写字段没有测试值（new_values）: {sorted(untested)}"


def test_every_field_of_the_html_forms_is_in_the_definition():
    for form in (enterprise_forms.EnterpriseForm, enterprise_forms.FiscalYearForm):
        model = form._meta.model
        unknown = set(form._meta.fields) - mentioned_fields(model)
        assert not unknown, f"{form.__name__}: 字段未列入 enterprises/permissions.py: {sorted(unknown)}"


def test_the_definition_names_every_role_and_only_real_fields():
    for model, by_role in WRITABLE_FIELDS.items():
        assert set(by_role) == set(Role), model.__name__
        names = {f.name for f in model._meta.get_fields()}
        assert mentioned_fields(model) <= names, model.__name__
    for model, fields in READ_ONLY_FIELDS.items():
        assert not any(set(fields) & set(by) for by in WRITABLE_FIELDS[model].values())


@pytest.mark.parametrize("user", USERS)
def test_model_permissions_agree_with_the_field_definition(request, user):
    """change ⇔ the role writes some field; add and delete ⇔ it writes every field."""
    person = request.getfixturevalue(user)
    for model in WRITABLE_FIELDS:
        perm = f"{model._meta.app_label}.%s_{model._meta.model_name}"
        assert person.has_perm(perm % "change") == writes_some_field(user, model), (user, model.__name__)
        for action in ("add", "delete"):
            assert person.has_perm(perm % action) == writes_every_field(user, model), (user, action, model.__name__)


def test_the_enterprise_group_writes_no_record_but_its_firm(db):
    group_perms = set(Permission.objects.filter(group__name=GROUP_NAMES[Role.ENTERPRISE],
                                                content_type__app_label="enterprises")
                      .values_list("codename", flat=True))
    assert {p for p in group_perms if not p.startswith("view_")} == {"change_enterprise"}


def test_a_firm_user_is_not_offered_links_to_edit_its_yearly_figures(client, alice, firm):
    from django.urls import reverse

    from tests.factories import FiscalYearFactory

    FiscalYearFactory(enterprise=firm, year=2024)
    client.force_login(alice)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert reverse("enterprises:fiscal_year_create", args=[firm.pk]) not in html
    assert reverse("enterprises:fiscal_year_update", args=[firm.pk, 2024]) not in html
