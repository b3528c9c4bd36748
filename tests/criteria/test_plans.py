"""Cultivation plans (分类辅导，一企一策), the tracking officer (专人跟踪) and 我的企业: a plan is
generated from the firm's stored result, its items close themselves when an evaluation finds their
rule met, staff edit them, the firm reads its own plan only."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from criteria.admission import plans as services
from criteria.admission.models import CultivationPlan, ItemStatus, PlanItem, PlanProgress, PlanStatus
from criteria.models import TierOutcome
from criteria.services import default_year, evaluate_all
from enterprises import models as m
from enterprises.models import Enterprise, FiscalYearRecord, PoolStatus

from ..factories import (EnterpriseFactory, FiscalYearFactory, PlanFactory, PlanItemFactory, ProductFactory,
                         UserFactory)

YEAR = 2023
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def reevaluate_sync(settings):
    settings.CRITERIA_REEVALUATE = "sync"


def strengthen(firm, officer=None):
    """`firm` as a county-pool member that meets the county pool in 2023 and misses the city tier:
    main business revenue 3000 a year (E1a asks 5000), flat growth (E2a asks 5%), one granted
    invention, a city R&D centre and brand, a product 3rd in the province, high-tech 2022-2024."""
    Enterprise.objects.filter(pk=firm.pk).update(
        pool_status=PoolStatus.IN_POOL, tracking_officer=officer, liaison_officer="李联络员",
        high_tech_certified=True, high_tech_valid_from=datetime.date(2022, 1, 1),
        high_tech_valid_until=datetime.date(2024, 12, 31))
    for year in (2020, 2021, 2022, 2023):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal("3500.00"),
                          main_business_revenue=Decimal("3000.00"), total_profit=Decimal("400.00"),
                          taxes_paid=Decimal("200.00"))
    ProductFactory(enterprise=firm, rank_province=3)
    m.RDInstitution.objects.create(enterprise=firm, name="市级技术中心", level="city")
    m.IPItem.objects.create(enterprise=firm, ip_type="invention", status="granted", title="发明专利", number="ZL1")
    m.Brand.objects.create(enterprise=firm, name="市级品牌", level="city")
    firm.refresh_from_db()
    return firm


@pytest.fixture
def pool_firm(published_editions, firm, bob):
    return strengthen(firm, officer=bob)


@pytest.fixture
def other_pool_firm(published_editions, other_firm, bob):
    return strengthen(other_firm, officer=bob)


@pytest.fixture
def evaluated(pool_firm, other_pool_firm):
    evaluate_all(YEAR)


@pytest.fixture
def plan(pool_firm, evaluated, bob):
    return services.generate_plan(pool_firm, "city_giant", user=bob)


@pytest.fixture
def other_plan(other_pool_firm, evaluated, bob):
    return services.generate_plan(other_pool_firm, "city_giant", user=bob)


def item(plan, code):
    return plan.items.get(code=code)


# ------------------------------------------------------------------------------------------------
# Generating a plan from the stored result
# ------------------------------------------------------------------------------------------------

def test_a_plan_has_one_item_per_rule_not_met_or_unknown_with_the_gap_in_words_and_numbers(plan, pool_firm, bob):
    outcome = TierOutcome.objects.get(enterprise=pool_firm, tier="city_giant", is_latest=True)
    lacking = sorted(outcome.rows.exclude(result="met").values_list("code", flat=True))
    assert sorted(plan.items.values_list("code", flat=True)) == lacking
    assert (plan.year, plan.status, plan.created_on, plan.created_by) == (YEAR, PlanStatus.ACTIVE, TODAY(), bob)
    revenue = item(plan, "E1a")
    assert revenue.gap_text == "主营业务收入还差2,000.00万元"
    assert (revenue.actual, revenue.threshold, revenue.gap, revenue.unit) == (
        Decimal("3000"), Decimal("5000"), Decimal("2000"), "万元")
    assert revenue.action == "拓展市场、提升主营业务收入" and revenue.responsible_unit == m.MemberUnit.GONGXIN
    assert revenue.owner == bob                                           # the firm's tracking officer
    assert revenue.due_date == datetime.date(TODAY().year, 12, 31)        # the end of the year
    assert revenue.status == ItemStatus.OPEN and revenue.result == "not_met"
    assert item(plan, "E2a").gap_text == "近2年主营业务收入平均增长率还差5.00个百分点"


def test_a_judgment_rule_reads_as_needing_staff_and_a_missing_figure_as_missing_data(plan, pool_firm, bob):
    judged = item(plan, "E2c")
    assert judged.gap_text == "需工作人员认定：具有良好的信用等级和融资能力"
    assert judged.gap is None and judged.result == "unknown"
    assert judged.action.startswith("准备佐证材料")
    national = services.generate_plan(pool_firm, "national_giant", user=bob)
    niche = item(national, "N3a")
    assert niche.gap_text.startswith("缺少数据：") and "细分市场年限" in niche.gap_text
    assert "无法判断" not in niche.gap_text
    assert niche.responsible_unit == m.MemberUnit.TOWN


def test_a_patent_gap_reads_as_patents_to_add_and_goes_to_market_regulation(pool_firm, evaluated, bob):
    national = services.generate_plan(pool_firm, "national_giant", user=bob)
    patents = item(national, "N5")
    assert patents.gap_text == "需新增授权发明专利1项"
    assert (patents.actual, patents.threshold, patents.gap, patents.unit) == (1, 2, 1, "项")
    assert patents.action == "加强知识产权布局，申请发明专利"
    assert patents.responsible_unit == m.MemberUnit.SHICHANG
    assert item(national, "N8").gap_text == "需新增核心业务信息系统1个"


def test_a_product_tier_takes_the_rules_of_the_firms_best_product_once(pool_firm, bob):
    ProductFactory(enterprise=pool_firm, name="落后产品", rank_province=30)
    evaluate_all(YEAR)
    product_plan = services.generate_plan(pool_firm, "city_product", user=bob)
    codes = list(product_plan.items.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert "P1a" not in codes            # the best product (3rd in the province) meets the rank rule
    assert {"P2", "P3"} <= set(codes)


def test_a_firm_without_a_stored_result_is_evaluated_first(pool_firm, bob):
    assert not TierOutcome.objects.filter(enterprise=pool_firm).exists()
    plan = services.generate_plan(pool_firm, "city_giant", user=bob)
    outcome = TierOutcome.objects.get(enterprise=pool_firm, tier="city_giant", is_latest=True)
    assert plan.year == outcome.run.year == default_year()
    assert plan.items.exists()
    assert plan.progress.count() == 1


def test_only_a_pool_firm_gets_a_plan_and_only_one_active_plan_per_tier(plan, pool_firm, published_editions, bob,
                                                                       town):
    outsider = EnterpriseFactory(town=town)
    with pytest.raises(ValidationError, match="不在培育库中"):
        services.generate_plan(outsider, "city_giant", user=bob)
    with pytest.raises(ValidationError, match="已有实施中的培育计划"):
        services.generate_plan(pool_firm, "city_giant", user=bob)
    CultivationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    assert services.generate_plan(pool_firm, "city_giant", user=bob).status == PlanStatus.ACTIVE


def test_staff_generate_a_plan_from_the_firm_page_panel(client, bob, pool_firm, evaluated):
    client.force_login(bob)
    panel = client.get(reverse("criteria:enterprise_plans", args=[pool_firm.pk]), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert 'id="plan-generate"' in html and "尚无培育计划" in html and "李联络员" in html
    response = client.post(reverse("criteria:plan_create"), {"enterprise": pool_firm.pk, "tier": "city_giant",
                                                            "due_date": f"{TODAY().year}-12-31"})
    plan = CultivationPlan.objects.get(enterprise=pool_firm)
    assert response.status_code == 302 and response["Location"] == reverse("criteria:plan_detail", args=[plan.pk])
    page = client.get(response["Location"]).content.decode()
    assert "主营业务收入还差2,000.00万元" in page and "已生成培育计划" in page


# ------------------------------------------------------------------------------------------------
# Bad input: a due date before the plan was made
# ------------------------------------------------------------------------------------------------

def test_a_due_date_before_the_plan_was_made_is_refused_in_chinese_and_nothing_changes(client, bob, plan):
    CultivationPlan.objects.filter(pk=plan.pk).update(created_on=datetime.date(2026, 3, 1))
    revenue = item(plan, "E1a")
    client.force_login(bob)
    response = client.post(reverse("criteria:plan_item_edit", args=[revenue.pk]), {
        "gap_text": "改过的说明", "action": revenue.action, "responsible_unit": "gongxin", "owner": bob.pk,
        "due_date": "2026-02-28", "status": "open", "note": ""})
    assert response.status_code == 200
    assert "完成期限（2026-02-28）不能早于计划制定日期（2026-03-01）。" in response.content.decode()
    after = PlanItem.objects.get(pk=revenue.pk)
    assert (after.gap_text, after.due_date) == (revenue.gap_text, revenue.due_date)


def test_a_new_item_or_a_new_plan_due_before_today_is_refused_and_nothing_is_written(client, bob, plan, pool_firm):
    client.force_login(bob)
    items = PlanItem.objects.count()
    yesterday = TODAY() - datetime.timedelta(days=1)
    response = client.post(reverse("criteria:plan_item_create", args=[plan.pk]), {
        "new-gap_text": "参加创新大赛", "new-responsible_unit": "keji", "new-due_date": yesterday.isoformat(),
        "new-status": "open"})
    assert "不能早于计划制定日期" in response.content.decode()
    assert PlanItem.objects.count() == items
    CultivationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    plans = CultivationPlan.objects.count()
    response = client.post(reverse("criteria:plan_create"), {"enterprise": pool_firm.pk, "tier": "city_giant",
                                                            "due_date": yesterday.isoformat()})
    assert response.status_code == 200 and "不能早于计划制定日期" in response.content.decode()
    assert CultivationPlan.objects.count() == plans


# ------------------------------------------------------------------------------------------------
# After each evaluation: items whose rule is met close themselves; progress over time
# ------------------------------------------------------------------------------------------------

def test_changing_a_firms_figures_so_a_rule_is_met_closes_its_plan_item_with_the_date(
        client, bob, plan, pool_firm, django_capture_on_commit_callbacks):
    """The acceptance test: staff enter the firm's new figures (API), the portal re-evaluates it,
    and the plan item of 主营业务收入 closes itself, dated today, with nobody touching the plan."""
    revenue = item(plan, "E1a")
    assert revenue.status == ItemStatus.OPEN and revenue.closed_on is None
    record = FiscalYearRecord.objects.get(enterprise=pool_firm, year=YEAR)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(reverse("api:fiscalyear-detail", args=[record.pk]),
                                {"main_business_revenue": "5200.00", "operating_revenue": "5600.00"}, content_type="application/json")
    assert response.status_code == 200, response.content
    revenue.refresh_from_db()
    assert (revenue.status, revenue.closed_on) == (ItemStatus.MET, TODAY())
    assert item(plan, "E2c").status == ItemStatus.OPEN                    # still waiting for staff
    progress = list(plan.progress.order_by("evaluated_at", "pk"))
    assert len(progress) == 2
    assert progress[-1].missed < progress[0].missed
    assert progress[-1].items_done > progress[0].items_done == 0
    page = client.get(reverse("criteria:plan_detail", args=[plan.pk])).content.decode()
    assert "已达标（自动关闭）" in page and TODAY().isoformat() in page
    assert 'id="plan-progress-chart"' in page                             # two points: the chart shows


def test_a_staff_judgment_closes_the_item_of_a_judgment_rule(client, bob, plan, pool_firm):
    client.force_login(bob)
    response = client.post(reverse("criteria:judgment_create", args=[pool_firm.pk]),
                           {"tier": "city_giant", "year": YEAR, "code": "E2c", "product": "", "met": "1",
                            "reason": "银行授信良好"})
    assert response.status_code == 302
    judged = item(plan, "E2c")
    assert (judged.status, judged.closed_on) == (ItemStatus.MET, TODAY())


def test_items_done_by_staff_or_added_by_hand_and_closed_plans_stay_as_they_are(plan, pool_firm, bob):
    done = item(plan, "E1a")
    PlanItem.objects.filter(pk=done.pk).update(status=ItemStatus.DONE, closed_on=datetime.date(2026, 1, 5),
                                               note="已签订大额订单")
    custom = PlanItemFactory(plan=plan, code="", gap_text="参加省级创新创业大赛")
    FiscalYearRecord.objects.filter(enterprise=pool_firm, year=YEAR).update(main_business_revenue=Decimal("6000"), operating_revenue=Decimal("6500"))
    evaluate_all(YEAR)
    done.refresh_from_db()
    custom.refresh_from_db()
    assert (done.status, done.closed_on) == (ItemStatus.DONE, datetime.date(2026, 1, 5))
    assert custom.status == ItemStatus.OPEN


def test_an_item_of_a_closed_plan_does_not_close_itself(plan, pool_firm):
    CultivationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    FiscalYearRecord.objects.filter(enterprise=pool_firm, year=YEAR).update(main_business_revenue=Decimal("6000"), operating_revenue=Decimal("6500"))
    evaluate_all(YEAR)
    assert item(plan, "E1a").status == ItemStatus.OPEN


def test_progress_is_recorded_after_an_evaluation_only_when_the_distance_changed(plan, pool_firm):
    assert plan.progress.count() == 1
    evaluate_all(YEAR)                               # nothing changed
    assert plan.progress.count() == 1
    FiscalYearRecord.objects.filter(enterprise=pool_firm, year=YEAR).update(main_business_revenue=Decimal("6000"), operating_revenue=Decimal("6500"))
    evaluate_all(YEAR)
    last = plan.progress.order_by("-evaluated_at", "-pk").first()
    assert plan.progress.count() == 2
    outcome = TierOutcome.objects.get(enterprise=pool_firm, tier="city_giant", is_latest=True)
    assert (last.met, last.missed, last.open, last.year) == (outcome.met, outcome.missed, outcome.open, YEAR)
    assert (last.items_done, last.items_total) == (plan.items.exclude(status="open").count(), plan.items.count())


def test_closing_items_after_an_evaluation_costs_the_same_queries_for_one_firm_and_for_many(
        published_editions, town, bob, django_assert_max_num_queries):
    def plans_for(n):
        firms = [strengthen(EnterpriseFactory(town=town), officer=bob) for _ in range(n)]
        evaluate_all(YEAR, enterprises=[f.pk for f in firms])
        for f in firms:
            services.generate_plan(f, "city_giant", user=bob)
            FiscalYearRecord.objects.filter(enterprise=f, year=YEAR).update(main_business_revenue=Decimal("6000"), operating_revenue=Decimal("6500"))
        evaluate_all(YEAR, enterprises=[f.pk for f in firms], tiers=["city_giant"])
        return [f.pk for f in firms]

    counts = []
    for ids in (plans_for(1), plans_for(6)):
        PlanItem.objects.filter(plan__enterprise_id__in=ids).update(status="open", closed_on=None)
        with django_assert_max_num_queries(8) as ctx:
            closed = services.close_met_items(ids)
        assert {i.plan.enterprise_id for i in closed} == set(ids)
        assert all(i.status == ItemStatus.MET for i in closed)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    planless = EnterpriseFactory(town=town).pk
    with django_assert_max_num_queries(1):
        assert services.close_met_items([planless]) == []


# ------------------------------------------------------------------------------------------------
# Staff edit, add and mark items done; overdue flags
# ------------------------------------------------------------------------------------------------

def test_staff_edit_an_item_in_place_and_add_one(client, bob, carol, plan):
    revenue = item(plan, "E1a")
    client.force_login(bob)
    form = client.get(reverse("criteria:plan_item_edit", args=[revenue.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in form.content.decode() and 'name="due_date"' in form.content.decode()
    due = datetime.date(TODAY().year, 9, 30) if TODAY() < datetime.date(TODAY().year, 9, 30) else TODAY()
    response = client.post(reverse("criteria:plan_item_edit", args=[revenue.pk]), {
        "gap_text": revenue.gap_text, "action": "开拓华东市场", "responsible_unit": "shangwu", "owner": bob.pk,
        "due_date": due.isoformat(), "status": "open", "note": ""})
    assert response.status_code == 302
    revenue.refresh_from_db()
    assert (revenue.action, revenue.responsible_unit, revenue.due_date) == ("开拓华东市场", "shangwu", due)
    response = client.post(reverse("criteria:plan_item_create", args=[plan.pk]), {
        "new-gap_text": "参加省级创新创业大赛", "new-action": "组织报名", "new-responsible_unit": "keji",
        "new-owner": bob.pk, "new-due_date": due.isoformat(), "new-status": "open"})
    assert response.status_code == 302
    added = plan.items.get(gap_text="参加省级创新创业大赛")
    assert added.code == "" and added.position == plan.items.count()


def test_marking_an_item_done_needs_a_note(client, bob, plan):
    judged = item(plan, "E4")
    client.force_login(bob)
    response = client.post(reverse("criteria:plan_item_done", args=[judged.pk]), {"note": "  "}, follow=True)
    assert "请填写完成说明。" in response.content.decode()
    assert item(plan, "E4").status == ItemStatus.OPEN
    client.post(reverse("criteria:plan_item_done", args=[judged.pk]), {"note": "已完成内控制度建设"})
    judged.refresh_from_db()
    assert (judged.status, judged.closed_on, judged.note) == (ItemStatus.DONE, TODAY(), "已完成内控制度建设")


def test_an_open_item_past_its_due_date_is_flagged_overdue(client, bob, plan, other_plan):
    late = item(plan, "E1a")
    PlanItem.objects.filter(pk=late.pk).update(due_date=TODAY() - datetime.timedelta(days=1))
    PlanItem.objects.filter(pk=item(plan, "E2a").pk).update(due_date=TODAY() - datetime.timedelta(days=1),
                                                            status=ItemStatus.DONE, closed_on=TODAY())
    client.force_login(bob)
    page = client.get(reverse("criteria:plan_detail", args=[plan.pk])).content.decode()
    row = page.split(f'id="item-{late.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "已逾期" in row
    assert page.count("overdue-flag") == 1
    listing = client.get(reverse("criteria:plan_list"), {"overdue": "true"})
    assert [r.record.pk for r in listing.context["table"].page.object_list] == [plan.pk]
    assert listing.context["table"].page.object_list[0].record.items_overdue == 1


def test_a_closed_plan_can_no_longer_be_edited(client, bob, plan):
    client.force_login(bob)
    client.post(reverse("criteria:plan_close", args=[plan.pk]))
    assert CultivationPlan.objects.get(pk=plan.pk).status == PlanStatus.CLOSED
    response = client.post(reverse("criteria:plan_item_done", args=[item(plan, "E4").pk]), {"note": "x"},
                           follow=True)
    assert "该培育计划已结束" in response.content.decode()
    assert item(plan, "E4").status == ItemStatus.OPEN


# ------------------------------------------------------------------------------------------------
# Who sees what: the firm its own plan read-only, towns their firms
# ------------------------------------------------------------------------------------------------

def test_the_firm_reads_its_own_plan_without_any_form_and_gets_404_for_another(client, alice, plan, other_plan):
    client.force_login(alice)
    page = client.get(reverse("criteria:plan_detail", args=[plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "主营业务收入还差2,000.00万元" in html
    assert 'id="read-only-note"' in html
    for staff_only in ("标记完成", "新增事项", "结束计划", "plan-items/", "tracking/"):
        assert staff_only not in html
    assert client.get(reverse("criteria:plan_detail", args=[other_plan.pk])).status_code == 404
    assert client.post(reverse("criteria:plan_item_done", args=[item(plan, "E4").pk]),
                       {"note": "企业自己完成"}).status_code == 403
    assert item(plan, "E4").status == ItemStatus.OPEN
    panel = client.get(reverse("criteria:enterprise_plans", args=[plan.enterprise_id]), HTTP_HX_REQUEST="true")
    assert "plan-generate" not in panel.content.decode() and "tracking-form" not in panel.content.decode()


def test_a_town_officer_sees_the_plans_of_its_towns_firms_only(client, dave, plan, other_plan):
    client.force_login(dave)
    listing = client.get(reverse("criteria:plan_list"))
    assert [r.record.pk for r in listing.context["table"].page.object_list] == [plan.pk]
    assert client.get(reverse("criteria:plan_detail", args=[other_plan.pk])).status_code == 404


# ------------------------------------------------------------------------------------------------
# The API: /api/v1/cultivation-plans/ with the list's FilterSet and scope
# ------------------------------------------------------------------------------------------------

def test_the_api_lists_plans_with_their_items_filtered_like_the_page(client, bob, plan, other_plan, pool_firm):
    client.force_login(bob)
    url = reverse("api:cultivationplan-list")
    assert client.get(url).json()["count"] == 2
    body = client.get(url, {"enterprise": pool_firm.pk, "tier": "city_giant", "status": "active"}).json()
    assert [p["id"] for p in body["results"]] == [plan.pk]
    items = {i["code"]: i for i in body["results"][0]["items"]}
    assert items["E1a"]["gap_text"] == "主营业务收入还差2,000.00万元"
    assert Decimal(items["E1a"]["gap"]) == 2000 and items["E1a"]["owner_name"] == "bob"
    assert items["E1a"]["overdue"] is False
    assert client.get(url, {"status": "closed"}).json()["count"] == 0
    assert client.get(url, {"tier": "national_giant"}).json()["count"] == 0


def test_the_api_shows_a_firm_only_its_own_plan_and_a_town_its_firms(client, alice, dave, plan, other_plan):
    url = reverse("api:cultivationplan-list")
    for user in (alice, dave):
        client.force_login(user)
        assert [p["id"] for p in client.get(url).json()["results"]] == [plan.pk]
        assert client.get(reverse("api:cultivationplan-detail", args=[other_plan.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(url, {"enterprise": other_plan.enterprise_id}).status_code == 400   # not a firm it sees
    assert client.post(url, {}, content_type="application/json").status_code in (403, 405)


# ------------------------------------------------------------------------------------------------
# Tracking officer and 我的企业
# ------------------------------------------------------------------------------------------------

def test_staff_set_a_firms_tracking_officer_and_liaison(client, bob, dave, pool_firm):
    colleague = UserFactory(username="wang", first_name="王芳")
    from enterprises.services import assign_role
    from jinhu_portal.roles import Role

    assign_role(colleague, Role.STAFF)
    client.force_login(bob)
    url = reverse("criteria:enterprise_tracking", args=[pool_firm.pk])
    response = client.post(url, {"tracking_officer": colleague.pk, "liaison_officer": "周联络员",
                                 "next": pool_firm.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == pool_firm.get_absolute_url()
    pool_firm.refresh_from_db()
    assert (pool_firm.tracking_officer, pool_firm.liaison_officer) == (colleague, "周联络员")
    assert pool_firm.history.first().tracking_officer_id == colleague.pk          # in the change history
    # only staff are offered, and only staff may set it
    assert client.post(url, {"tracking_officer": dave.pk, "liaison_officer": ""}).status_code == 200
    pool_firm.refresh_from_db()
    assert pool_firm.tracking_officer == colleague
    client.force_login(dave)
    assert client.post(url, {"tracking_officer": "", "liaison_officer": ""}).status_code == 403


def test_my_firms_lists_the_firms_one_tracks_with_overdue_items_first(client, bob, plan, other_plan, pool_firm,
                                                                      other_pool_firm, town):
    PlanItem.objects.filter(pk=item(other_plan, "E1a").pk).update(due_date=TODAY() - datetime.timedelta(days=3))
    untracked = EnterpriseFactory(town=town, pool_status=PoolStatus.IN_POOL)
    client.force_login(bob)
    response = client.get(reverse("criteria:my_firms"))
    firms = response.context["firms"]
    assert [f.pk for f in firms] == [other_pool_firm.pk, pool_firm.pk]
    assert (firms[0].items_overdue, firms[1].items_overdue) == (1, 0)
    assert firms[1].items_total == plan.items.count() and firms[1].items_open == plan.items.count()
    html = response.content.decode()
    assert "在库企业中还有 1 家未指定跟踪责任人" in html and untracked.name not in html
    assert reverse("criteria:plan_detail", args=[plan.pk]) in html


def test_my_firms_of_another_staff_member_and_for_nobody_else(client, bob, carol, root, plan):
    client.force_login(root)
    assert list(client.get(reverse("criteria:my_firms")).context["firms"]) == []
    assert len(client.get(reverse("criteria:my_firms"), {"officer": bob.pk}).context["firms"]) == 2
    assert client.get(reverse("criteria:my_firms"), {"officer": carol.pk}).status_code == 404
    client.force_login(carol)
    assert client.get(reverse("criteria:my_firms")).status_code == 403


def test_the_navbar_offers_my_firms_to_staff_only(client, bob, carol):
    client.force_login(bob)
    assert reverse("criteria:my_firms") in client.get(reverse("criteria:plan_list")).content.decode()
    client.force_login(carol)
    assert reverse("criteria:my_firms") not in client.get(reverse("criteria:plan_list")).content.decode()


# ------------------------------------------------------------------------------------------------
# Fixed query counts
# ------------------------------------------------------------------------------------------------

def _plans(n, town, officer):
    late = TODAY() - datetime.timedelta(days=2)
    for _ in range(n):
        plan = PlanFactory(enterprise=EnterpriseFactory(town=town, pool_status=PoolStatus.IN_POOL,
                                                        tracking_officer=officer))
        PlanItemFactory(plan=plan, owner=officer, due_date=late)
        PlanItemFactory(plan=plan, owner=officer, status=ItemStatus.DONE, closed_on=TODAY())


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as ctx:          # 9 for the list, 10 for 我的企业 (2026-12)
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["criteria:plan_list", "criteria:my_firms"])
def test_the_plan_list_and_my_firms_do_the_same_queries_for_3_and_30_firms(client, bob, town, url_name,
                                                                         django_assert_max_num_queries):
    client.force_login(bob)
    url = reverse(url_name)
    _plans(3, town, bob)
    few = _count(client, url, django_assert_max_num_queries)
    _plans(27, town, bob)
    assert _count(client, url, django_assert_max_num_queries) == few
    if url_name == "criteria:my_firms":
        assert len(client.get(url).context["firms"]) == 30


# ------------------------------------------------------------------------------------------------
# The demo
# ------------------------------------------------------------------------------------------------

def test_the_demo_has_a_dozen_plans_with_items_in_every_state_and_every_pool_firm_a_tracking_officer(
        demo, client, django_user_model):
    plans = CultivationPlan.objects.all()
    assert plans.count() == 12
    assert not plans.exclude(enterprise__pool_status=PoolStatus.IN_POOL).exists()
    items = PlanItem.objects.filter(plan__in=plans)
    assert {s for s in items.values_list("status", flat=True)} == {"open", "done", "met"}
    assert items.filter(services.overdue_q()).exists()
    assert not items.filter(status="done", note="").exists()
    assert not items.filter(status="met", closed_on=None).exists()
    pool = Enterprise.objects.filter(pool_status=PoolStatus.IN_POOL)
    assert not pool.filter(tracking_officer=None).exists() and not pool.filter(liaison_officer="").exists()
    assert PlanProgress.objects.filter(plan__in=plans).values("plan").distinct().count() == 12
    firm_user = django_user_model.objects.get(username="firm")
    firm_plan = plans.get(enterprise=firm_user.scope.enterprise)
    client.force_login(firm_user)
    assert client.get(reverse("criteria:plan_detail", args=[firm_plan.pk])).status_code == 200
    client.force_login(django_user_model.objects.get(username="staff"))
    assert len(client.get(reverse("criteria:my_firms")).context["firms"]) >= 12


def test_every_cell_of_the_plan_list_names_its_column_on_a_phone(client, bob, firm):
    """On a phone the rows stack into cards; a cell without its column's name reads as a bare number."""
    import re

    CultivationPlan.objects.create(enterprise=firm, tier="city_giant", year=2025, created_on=timezone.localdate())
    client.force_login(bob)
    html = client.get(reverse("criteria:plan_list")).content.decode()
    table = html[html.index('id="plans"'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<td[^>]*>", table)
    assert cells
    assert all("data-label=" in c or "stack-title" in c for c in cells), [c for c in cells if "data-label" not in c]
