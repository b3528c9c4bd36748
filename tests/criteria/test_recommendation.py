"""Recommendation lists (推荐名单): built from a stored evaluation in a known order with the reasons
shown, edited with notes while a draft, frozen, versioned, exported, and followed to their outcome;
已认定 records the firm's title and re-scores it at once. Bad input changes nothing and says why."""
import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from criteria.admission import recommendation as service
from criteria.models import (
    CriterionOutcome,
    Declaration,
    Edition,
    EntrySource,
    EvaluationRun,
    ListStatus,
    Outcome,
    RecommendationList,
    Round,
    TierOutcome,
)
from criteria.services import evaluate_all
from enterprises import models as m

from ..factories import EnterpriseFactory, FiscalYearFactory, RecognitionFactory

Y = 2024
CODES = ["E1a", "E1b", "E2a", "E2b", "E2c", "E3a", "E3b", "E3c", "E3d", "E4"]


def known(firm, **rows):
    """A stored city_giant outcome of `firm` for year Y: every rule met except those given as
    code=(result, actual, threshold, gap, unit)."""
    edition = Edition.objects.get(tier="city_giant", status="published")
    run = EvaluationRun.objects.filter(year=Y).first() or EvaluationRun.objects.create(year=Y)
    results = {code: rows.get(code, ("met", "", "", "", "")) for code in CODES}
    met = sum(r[0] == "met" for r in results.values())
    missed = sum(r[0] == "not_met" for r in results.values())
    open_ = len(CODES) - met - missed
    verdict = "not_eligible" if missed else "incomplete" if open_ else "eligible"
    outcome = TierOutcome.objects.create(run=run, enterprise=firm, tier="city_giant", edition=edition,
                                         verdict=verdict, own_variant="E", met=met, missed=missed, open=open_)
    texts = {c.code: c.text for c in edition.criteria.all()}
    CriterionOutcome.objects.bulk_create(
        CriterionOutcome(outcome=outcome, variant="E", code=code, text=texts[code], result=r[0], actual=r[1],
                         threshold=r[2], gap=r[3], unit=r[4]) for code, r in results.items())
    return outcome


REVENUE_SHORT = ("not_met", "4800.00", "5000", "200.00", "万元")
RANK_SHORT = ("not_met", "12", "10", "2", "位")
CREDIT_OPEN = ("needs_review", "", "", "", "")


@pytest.fixture
def firms(published_editions, town, other_town):
    """Seven firms whose stored city_giant results are known."""
    f = {
        "eligible": EnterpriseFactory(name="甲·全部符合", town=town),
        "eligible_pool": EnterpriseFactory(name="乙·全部符合·在库", town=other_town, pool_status=m.PoolStatus.IN_POOL),
        "open": EnterpriseFactory(name="丙·待审核一条", town=town),
        "short_pool": EnterpriseFactory(name="丁·差一条·在库", town=town, pool_status=m.PoolStatus.IN_POOL),
        "short": EnterpriseFactory(name="戊·差一条", town=other_town),
        "far": EnterpriseFactory(name="己·差三条", town=town),
        "holder": EnterpriseFactory(name="庚·已是市级小巨人", town=town),
    }
    known(f["eligible"])
    known(f["eligible_pool"])
    known(f["open"], E2c=CREDIT_OPEN)
    known(f["short_pool"], E1a=REVENUE_SHORT)
    known(f["short"], E1b=RANK_SHORT)
    known(f["far"], E1a=REVENUE_SHORT, E1b=RANK_SHORT, E3a=("not_met", "否", "", "", ""))
    known(f["holder"])
    RecognitionFactory(enterprise=f["holder"], kind="city_giant", level="city", year=Y - 1)
    return f


def names(lst, removed=False):
    return [e.enterprise.name for e in lst.entries.filter(removed=removed).order_by("position")]


@pytest.fixture
def draft(firms, bob):
    return service.generate("city_giant", Y, user=bob)


@pytest.fixture
def frozen(draft, bob):
    return service.freeze(draft, bob)


def detail(client, lst):
    return client.get(reverse("criteria:recommendation_detail", args=[lst.pk])).content.decode()


# ------------------------------------------------------------------------------------------------
# Acceptance: a list from a known evaluation, its order and the reasons shown
# ------------------------------------------------------------------------------------------------

def test_a_list_built_from_a_known_evaluation_is_in_order_and_shows_the_reasons(client, firms, bob):
    client.force_login(bob)
    response = client.post(reverse("criteria:recommendation_generate"),
                           {"tier": "city_giant", "year": Y, "max_missed": 2, "title": ""})
    lst = RecommendationList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("criteria:recommendation_detail",
                                                                           args=[lst.pk])
    # eligible first (pool member first), then fewest missed (0 with one open), then the pool member
    # among the firms missing one rule; three missed and the title holder stay out
    assert names(lst) == ["乙·全部符合·在库", "甲·全部符合", "丙·待审核一条", "丁·差一条·在库", "戊·差一条"]
    assert [e.position for e in lst.entries.order_by("position")] == [1, 2, 3, 4, 5]
    assert lst.title == f"{Y}年度淮安市专精特新小巨人企业推荐名单" and lst.status == ListStatus.DRAFT
    short = lst.entries.get(enterprise=firms["short_pool"])
    assert (short.verdict, short.met, short.missed, short.open, short.source) == (
        "not_eligible", 9, 1, 0, EntrySource.EVALUATION)
    assert short.gaps == [{"code": "E1a", "text": "年度主营业务收入5000万元以上（含5000万元）", "result": "not_met",
                           "actual": "4800.00", "threshold": "5000", "gap": "200.00", "unit": "万元"}]
    assert lst.entries.get(enterprise=firms["eligible"]).gaps == []

    html = detail(client, lst).split('id="entries"', 1)[1].split("</table>", 1)[0]
    assert html.index("乙·全部符合·在库") < html.index("甲·全部符合") < html.index("丙·待审核一条") \
        < html.index("丁·差一条·在库") < html.index("戊·差一条")
    assert "己·差三条" not in html and "庚·已是市级小巨人" not in html
    row = html.split('data-firm="丁·差一条·在库"', 1)[1].split("</tr>", 1)[0]
    assert "E1a" in row and "实际4,800.00万元" in row and "标准5,000万元" in row and "还差200.00万元" in row
    row = html.split('data-firm="戊·差一条"', 1)[1].split("</tr>", 1)[0]
    assert "E1b" in row and "还差2位" in row
    row = html.split('data-firm="丙·待审核一条"', 1)[1].split("</tr>", 1)[0]
    assert "E2c" in row and "待审核" in row
    assert "全部符合" in html.split('data-firm="甲·全部符合"', 1)[1].split("</tr>", 1)[0]


def test_the_rules_that_decide_are_the_own_variant_and_the_best_product(published_editions):
    firm = EnterpriseFactory()
    edition = Edition.objects.get(tier="national_champion", status="published")
    outcome = TierOutcome.objects.create(run=EvaluationRun.objects.create(year=Y), enterprise=firm,
                                         tier="national_champion", edition=edition, verdict="not_eligible",
                                         own_variant="E", met=1, missed=1, open=1)
    rows = [CriterionOutcome(outcome=outcome, variant="E", code="S1", result="met"),
            CriterionOutcome(outcome=outcome, variant="E", code="S4a", result="not_met", actual="3.00",
                             threshold="6.50", gap="3.50", unit="%"),
            CriterionOutcome(outcome=outcome, product="甲阀门", code="S7", result="not_met"),
            CriterionOutcome(outcome=outcome, product="乙阀门", code="S7", result="unknown")]
    standing = service.standing_of(outcome, rows)
    assert [(g["code"], g.get("product")) for g in standing.gaps] == [("S4a", None), ("S7", "乙阀门")]


def test_generating_evaluates_the_tier_first_when_nothing_is_stored_for_the_year(published_editions, bob):
    firm = EnterpriseFactory(name="有数据的企业")
    FiscalYearFactory(enterprise=firm, year=Y, main_business_revenue="6000.00", operating_revenue="6500.00")
    lst = service.generate("city_giant", Y, user=bob, max_missed=20)
    assert TierOutcome.objects.filter(tier="city_giant", run__year=Y, enterprise=firm).exists()
    entry = lst.entries.get(enterprise=firm)
    assert entry.verdict == "not_eligible" and entry.missed >= 1
    assert all(g["result"] != "met" for g in entry.gaps) and len(entry.gaps) == entry.missed + entry.open


def test_a_recommendation_round_feeds_its_approved_declarations(firms, bob):
    edition = Edition.objects.get(tier="city_giant", status="published")
    round_ = Round.objects.create(title="市级小巨人推荐申报", kind="recommendation", tier="city_giant", year=Y,
                                  opens_on=datetime.date(Y + 1, 3, 1), closes_on=datetime.date(Y + 1, 3, 31),
                                  edition=edition)
    Declaration.objects.create(round=round_, enterprise=firms["far"], status="approved", verdict="not_eligible",
                               met=7, missed=3)
    late = EnterpriseFactory(name="申报但未评价的企业")
    Declaration.objects.create(round=round_, enterprise=late, status="approved", verdict="incomplete", met=8)
    Declaration.objects.create(round=round_, enterprise=EnterpriseFactory(name="被退回的企业"), status="returned")
    lst = service.generate("city_giant", Y, user=bob, round=round_)
    assert lst.round == round_
    assert lst.entries.get(enterprise=firms["far"]).source == EntrySource.ROUND
    assert lst.entries.get(enterprise=firms["far"]).missed == 3            # its stored result
    assert lst.entries.get(enterprise=late).verdict == "incomplete"       # its declaration's score
    assert not lst.entries.filter(enterprise__name="被退回的企业").exists()
    assert names(lst)[-1] == "己·差三条"


# ------------------------------------------------------------------------------------------------
# Editing a draft: add, remove with a note (history kept), restore, reorder
# ------------------------------------------------------------------------------------------------

def test_staff_remove_a_firm_with_a_note_and_the_entry_stays_as_history(client, draft, firms, bob):
    client.force_login(bob)
    entry = draft.entries.get(enterprise=firms["open"])
    response = client.post(reverse("criteria:recommendation_entry_remove", args=[entry.pk]),
                           {"note": "企业主动申请暂缓推荐"}, follow=True)
    assert "已将丙·待审核一条移出名单" in response.content.decode()
    entry.refresh_from_db()
    assert entry.removed and entry.removed_note == "企业主动申请暂缓推荐"
    assert names(draft) == ["乙·全部符合·在库", "甲·全部符合", "丁·差一条·在库", "戊·差一条"]
    assert [e.position for e in draft.entries.filter(removed=False).order_by("position")] == [1, 2, 3, 4]
    html = detail(client, draft)
    assert "企业主动申请暂缓推荐" in html.split('id="removed-entries"', 1)[1]

    client.post(reverse("criteria:recommendation_add", args=[draft.pk]),
                {"enterprise": firms["open"].pk, "note": "已补充信用证明"})
    entry.refresh_from_db()
    assert not entry.removed and entry.position == 5 and "已补充信用证明" in entry.note


def test_staff_add_a_firm_with_a_note_and_it_carries_its_stored_result(client, draft, firms, bob):
    client.force_login(bob)
    client.post(reverse("criteria:recommendation_add", args=[draft.pk]),
                {"enterprise": firms["far"].pk, "note": "县领导挂钩企业，建议推荐"})
    entry = draft.entries.get(enterprise=firms["far"])
    assert (entry.source, entry.position, entry.missed, entry.note) == (
        EntrySource.MANUAL, 6, 3, "县领导挂钩企业，建议推荐")
    assert [g["code"] for g in entry.gaps] == ["E1a", "E1b", "E3a"]


def test_staff_move_entries_up_and_down(client, draft, firms, bob):
    client.force_login(bob)
    entry = draft.entries.get(enterprise=firms["short"])
    client.post(reverse("criteria:recommendation_entry_move", args=[entry.pk]), {"direction": "up"})
    client.post(reverse("criteria:recommendation_entry_move", args=[entry.pk]), {"direction": "up"})
    assert names(draft) == ["乙·全部符合·在库", "甲·全部符合", "戊·差一条", "丙·待审核一条", "丁·差一条·在库"]
    first = draft.entries.get(position=1)
    client.post(reverse("criteria:recommendation_entry_move", args=[first.pk]), {"direction": "up"})
    assert names(draft)[0] == "乙·全部符合·在库"           # already first: stays
    service.reorder(draft, [e.pk for e in draft.entries.filter(removed=False).order_by("-position")])
    assert names(draft)[0] == "丁·差一条·在库"


def test_a_frozen_list_makes_a_new_version_with_its_entries(client, frozen, firms, bob):
    client.force_login(bob)
    response = client.post(reverse("criteria:recommendation_new_version", args=[frozen.pk]))
    copy = RecommendationList.objects.get(version=2)
    assert response["Location"] == reverse("criteria:recommendation_detail", args=[copy.pk])
    assert (copy.previous, copy.status, copy.tier, copy.year, copy.title) == (
        frozen, ListStatus.DRAFT, "city_giant", Y, frozen.title)
    assert names(copy) == names(frozen)
    assert copy.entries.get(enterprise=firms["short_pool"]).gaps == frozen.entries.get(
        enterprise=firms["short_pool"]).gaps
    frozen.refresh_from_db()
    assert frozen.status == ListStatus.FROZEN and frozen.entries.count() == 5
    assert "第1版" in detail(client, copy) and "第2版" in detail(client, copy)


# ------------------------------------------------------------------------------------------------
# Bad input: a clear Chinese message, nothing changed
# ------------------------------------------------------------------------------------------------

def snapshot(lst):
    lst.refresh_from_db()
    return (lst.status, lst.frozen_at, list(lst.entries.order_by("pk").values_list(
        "enterprise_id", "position", "removed", "removed_note", "note", "outcome", "outcome_date", "recognition")))


def test_freezing_an_empty_list_is_refused(client, published_editions, bob):
    client.force_login(bob)
    lst = RecommendationList.objects.create(tier="city_giant", year=Y, title="空名单")
    response = client.post(reverse("criteria:recommendation_freeze", args=[lst.pk]), follow=True)
    assert "名单中没有企业，不能定稿。" in response.content.decode()
    lst.refresh_from_db()
    assert lst.status == ListStatus.DRAFT and lst.frozen_at is None


def test_freezing_a_list_whose_firms_were_all_removed_is_refused(draft, bob):
    for entry in draft.entries.all():
        service.remove(entry, "不推荐")
    before = snapshot(draft)
    with pytest.raises(Exception, match="名单中没有企业，不能定稿。"):
        service.freeze(draft, bob)
    assert snapshot(draft) == before


def test_adding_a_firm_twice_is_refused(client, draft, firms, bob):
    client.force_login(bob)
    before = snapshot(draft)
    response = client.post(reverse("criteria:recommendation_add", args=[draft.pk]),
                           {"enterprise": firms["short"].pk, "note": "再加一次"}, follow=True)
    assert "戊·差一条已在本名单中，不能重复加入。" in response.content.decode()
    assert snapshot(draft) == before
    with pytest.raises(Exception, match="已在本名单中"):
        service.add(draft, firms["short"], "再加一次")
    assert snapshot(draft) == before


def test_editing_a_frozen_list_is_refused(client, frozen, firms, bob):
    client.force_login(bob)
    before = snapshot(frozen)
    entry = frozen.entries.get(enterprise=firms["short"])
    posts = [(reverse("criteria:recommendation_add", args=[frozen.pk]), {"enterprise": firms["far"].pk, "note": "加"}),
             (reverse("criteria:recommendation_entry_remove", args=[entry.pk]), {"note": "移出"}),
             (reverse("criteria:recommendation_entry_move", args=[entry.pk]), {"direction": "up"}),
             (reverse("criteria:recommendation_freeze", args=[frozen.pk]), {}),
             (reverse("criteria:recommendation_delete", args=[frozen.pk]), {})]
    for url, data in posts:
        html = client.post(url, data, follow=True).content.decode()
        assert "名单已定稿，不能再修改；如需调整，请由此名单生成新版本。" in html, url
    assert snapshot(frozen) == before
    assert RecommendationList.objects.filter(pk=frozen.pk).exists()


def test_marking_an_outcome_on_a_list_not_frozen_is_refused(client, draft, firms, bob):
    client.force_login(bob)
    before = snapshot(draft)
    entry = draft.entries.get(enterprise=firms["eligible"])
    url = reverse("criteria:recommendation_entry_outcome", args=[entry.pk])
    html = client.post(url, {"outcome": "recommended", "on": f"{Y + 1}-03-01"}, follow=True).content.decode()
    assert "名单尚未定稿，不能登记推荐结果；请先定稿。" in html
    html = client.post(reverse("criteria:recommendation_recommend_all", args=[draft.pk]),
                       {"on": f"{Y + 1}-03-01"}, follow=True).content.decode()
    assert "名单尚未定稿，不能登记推荐结果；请先定稿。" in html
    with pytest.raises(Exception, match="名单尚未定稿"):
        service.set_outcome(entry, Outcome.RECOMMENDED, datetime.date(Y + 1, 3, 1))
    assert snapshot(draft) == before and not m.Recognition.objects.filter(enterprise=firms["eligible"]).exists()


def test_removing_without_a_note_and_generating_twice_are_refused(client, draft, firms, bob):
    client.force_login(bob)
    before = snapshot(draft)
    entry = draft.entries.get(enterprise=firms["short"])
    html = client.post(reverse("criteria:recommendation_entry_remove", args=[entry.pk]), {"note": "  "},
                       follow=True).content.decode()
    assert "请填写移出名单的说明。" in html
    response = client.post(reverse("criteria:recommendation_generate"), {"tier": "city_giant", "year": Y,
                                                                        "max_missed": 2})
    assert "已有推荐名单（第1版）" in response.content.decode()
    assert snapshot(draft) == before and RecommendationList.objects.count() == 1


def test_an_outcome_out_of_order_is_refused(frozen, firms):
    entry = frozen.entries.get(enterprise=firms["eligible"])
    with pytest.raises(Exception, match="不能从“待推荐”改为“已认定”"):
        service.set_outcome(entry, Outcome.RECOGNISED, datetime.date(Y + 1, 6, 1))
    entry.refresh_from_db()
    assert entry.outcome == Outcome.PENDING and entry.recognition is None


# ------------------------------------------------------------------------------------------------
# Outcomes and recognitions
# ------------------------------------------------------------------------------------------------

def test_marking_recognised_records_the_firms_title(client, frozen, firms, bob, django_capture_on_commit_callbacks):
    client.force_login(bob)
    client.post(reverse("criteria:recommendation_recommend_all", args=[frozen.pk]),
                {"on": f"{Y + 1}-04-10", "document": "金工信〔2025〕12号"})
    assert set(frozen.entries.values_list("outcome", flat=True)) == {Outcome.RECOMMENDED}
    entry = frozen.entries.get(enterprise=firms["short_pool"])
    assert (entry.outcome_date, entry.outcome_document) == (datetime.date(Y + 1, 4, 10), "金工信〔2025〕12号")
    form = client.get(reverse("criteria:recommendation_entry_outcome", args=[entry.pk])).content.decode()
    assert "已认定" in form and "未通过" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("criteria:recommendation_entry_outcome", args=[entry.pk]),
                               {"outcome": "recognised", "on": f"{Y + 1}-09-20", "document": "淮工信〔2025〕88号"},
                               follow=True)
    assert "记入该企业的认定荣誉" in response.content.decode()
    entry.refresh_from_db()
    recognition = entry.recognition
    assert (entry.outcome, entry.outcome_date, entry.outcome_document) == (
        Outcome.RECOGNISED, datetime.date(Y + 1, 9, 20), "淮工信〔2025〕88号")
    assert (recognition.enterprise, recognition.kind, recognition.level, recognition.year, recognition.document,
            recognition.granted_on) == (firms["short_pool"], "city_giant", "city", Y + 1, "淮工信〔2025〕88号",
                                        datetime.date(Y + 1, 9, 20))
    page = client.get(reverse("enterprises:detail", args=[firms["short_pool"].pk])).content.decode()
    assert f"{Y + 1}年 市级专精特新小巨人" in page
    other = frozen.entries.get(enterprise=firms["short"])
    service.set_outcome(other, Outcome.NOT_PASSED, datetime.date(Y + 1, 9, 20), "淮工信〔2025〕88号")
    other.refresh_from_db()
    assert other.outcome == Outcome.NOT_PASSED and other.recognition is None
    assert m.Recognition.objects.filter(kind="city_giant", year=Y + 1).count() == 1


def test_marking_national_giant_recognised_changes_s4b_of_national_champion_without_an_evaluation(
        client, published_editions, bob, settings, django_capture_on_commit_callbacks):
    settings.CRITERIA_REEVALUATE = "sync"
    firm = EnterpriseFactory(name="营收三亿的企业")
    for year in (Y - 2, Y - 1, Y):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue="30000.00", main_business_revenue="28000.00")
    evaluate_all(Y, tiers=["national_giant", "national_champion"])

    def s4b():
        return CriterionOutcome.objects.get(outcome__enterprise=firm, outcome__tier="national_champion",
                                            outcome__is_latest=True, code="S4b", variant="E")

    assert s4b().result == "not_met"
    last_run = EvaluationRun.objects.order_by("-pk").first().pk
    lst = service.generate("national_giant", Y, user=bob)
    if not lst.entries.filter(enterprise=firm).exists():
        service.add(lst, firm, "营收三亿，冲刺国家级小巨人")
    service.freeze(lst, bob)
    service.recommend_all(lst, datetime.date(Y + 1, 4, 1), "金工信〔2025〕3号")
    entry = lst.entries.get(enterprise=firm)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("criteria:recommendation_entry_outcome", args=[entry.pk]),
                    {"outcome": "recognised", "on": f"{Y + 1}-07-15", "document": "工信部企业函〔2025〕180号"})
    assert m.Recognition.objects.get(enterprise=firm).kind == "national_giant"
    assert s4b().result == "met"
    assert s4b().outcome.run_id > last_run           # re-scored by the write itself, nobody ran `evaluate`


# ------------------------------------------------------------------------------------------------
# The submission: XLSX and the printable page
# ------------------------------------------------------------------------------------------------

def test_a_frozen_list_exports_the_columns_a_submission_needs(client, frozen, firms, bob):
    firm = firms["short_pool"]
    firm.contact_person, firm.contact_phone = "王经理", "0517-86001234"
    firm.save()
    firm.industry_tags.add(m.IndustryTag.objects.create(taxonomy="county_leading", name="高端装备"))
    FiscalYearFactory(enterprise=firm, year=Y, operating_revenue="5300.00", main_business_revenue="4800.00",
                      rd_expense="210.50")
    client.force_login(bob)
    response = client.get(reverse("criteria:recommendation_export", args=[frozen.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["序号", "名称", "统一社会信用代码", "所属镇街", "行业"]
    assert headers[-2:] == ["符合条目", "联系人及电话"]
    for year in (Y - 2, Y - 1, Y):
        for label in ("营业收入", "主营业务收入", "研发费用", "资产总额", "负债总额"):
            assert f"{year}年{label}（万元）" in headers
    rows = {r[1]: dict(zip(headers, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == names(frozen)
    row = rows["丁·差一条·在库"]
    assert (row["序号"], row["统一社会信用代码"], row["所属镇街"], row["行业"]) == (4, firm.uscc, firm.town.name, "高端装备")
    assert row[f"{Y}年主营业务收入（万元）"] == 4800 and row[f"{Y}年研发费用（万元）"] == 210.5
    assert row[f"{Y - 1}年营业收入（万元）"] is None
    assert row["符合条目"] == "E1b、E2a、E2b、E2c、E3a、E3b、E3c、E3d、E4"
    assert row["联系人及电话"] == "王经理 0517-86001234"

    page = client.get(reverse("criteria:recommendation_print", args=[frozen.pk])).content.decode()
    assert "css/recommendation-print.css" in page and "研发费用（万元）" in page
    row = page.split("丁·差一条·在库", 1)[1].split("</tr>", 1)[0]
    assert f'<span class="text-muted">{Y}</span> 4,800.00' in row and "210.50" in row and "王经理 0517-86001234" in row


def test_a_draft_list_is_neither_exported_nor_printed(client, draft, bob):
    client.force_login(bob)
    for name in ("criteria:recommendation_export", "criteria:recommendation_print"):
        response = client.get(reverse(name, args=[draft.pk]), follow=True)
        assert "名单定稿后才能导出或打印。" in response.content.decode()


# ------------------------------------------------------------------------------------------------
# Scope: pages and API
# ------------------------------------------------------------------------------------------------

def test_a_town_officer_reads_only_its_towns_entries(client, draft, firms, dave):
    client.force_login(dave)
    html = detail(client, draft)
    assert "丁·差一条·在库" in html and "乙·全部符合·在库" not in html and "戊·差一条" not in html
    assert "确认移出" not in html and "加入名单" not in html


def test_the_api_lists_lists_and_entries_with_the_pages_filters_and_scope(client, frozen, firms, bob, dave, alice,
                                                                          other_town):
    draft = RecommendationList.objects.create(tier="province_giant", year=Y, title="省级草稿")
    client.force_login(bob)
    data = client.get(reverse("api:recommendationlist-list")).json()
    assert {r["title"] for r in data["results"]} == {frozen.title, draft.title}
    data = client.get(reverse("api:recommendationlist-list"), {"tier": "city_giant", "status": "frozen"}).json()
    assert [r["id"] for r in data["results"]] == [frozen.pk]
    assert data["results"][0]["entry_count"] == 5
    url = reverse("api:recommendationlist-entries", args=[frozen.pk])
    entries = client.get(url).json()["results"]
    assert [e["enterprise_name"] for e in entries] == names(frozen)
    assert entries[3]["gaps"][0]["gap"] == "200.00" and entries[3]["outcome"] == "pending"
    town_only = client.get(url, {"town": other_town.pk}).json()["results"]
    assert [e["enterprise_name"] for e in town_only] == ["乙·全部符合·在库", "戊·差一条"]

    client.force_login(dave)          # 甲镇: its firms only
    assert [e["enterprise_name"] for e in client.get(url).json()["results"]] == [
        "甲·全部符合", "丙·待审核一条", "丁·差一条·在库"]
    assert [r["id"] for r in client.get(reverse("api:recommendationlist-list")).json()["results"]] == [frozen.pk]

    client.force_login(alice)         # a firm not on the list sees no list
    assert client.get(reverse("api:recommendationlist-list")).json()["results"] == []
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------------------------------------
# Demo data
# ------------------------------------------------------------------------------------------------

