"""Where a scored tier (创新型中小企业) shows: the firm page's score block, the self-assessment page,
the runs page, the closest-to-tier ranking by points short, cultivation plans from the cheapest
way to pass, and a what-if that lists firms whose points change."""
from django.urls import reverse

from criteria.admission.plans import generate_plan
from criteria.models import Edition, TierOutcome
from criteria.services import evaluate_all
from criteria.whatif import what_if
from enterprises.models import PoolStatus

from ..factories import EnterpriseFactory, scored_firm

TIER = "innovative_sme"


def _panel(client, firm):
    return client.get(reverse("criteria:enterprise_results", args=[firm.pk]), HTTP_HX_REQUEST="true").content.decode()


def _short_of_innovation(firm):
    """65 points, but 创新能力 5 of its minimum 20: a utility model (5) and no R&D (0)."""
    return scored_firm(firm, rd_expense="0", ip_flags={"ip_type": "utility"})


def test_the_firm_page_shows_points_per_indicator_with_band_and_next_band_per_dimension_and_the_total(
        published_editions, client, bob, firm):
    scored_firm(firm, rd_expense="345")                # R&D 3.00%: 15 of 20, 2.00 points of a percent below 5%
    evaluate_all(2023, tiers=[TIER])
    client.force_login(bob)
    html = _panel(client, firm)
    block = html.split('class="score-block', 1)[1]
    assert "95分/60分" in html, "the tier's header carries its points against the pass mark"
    assert 'data-sure="95"' in block and "按得分通过" in block
    rd = block.split('data-indicator="rd_share"', 1)[1].split("</tr>", 1)[0]
    assert "15/20" in rd and "3%-5%" in rd and "5.00%得20分（差2.00个百分点）" in rd
    innovation = block.split('data-dimension="innovation"', 1)[1].split("</tr>", 1)[0]
    assert "创新能力" in innovation and "35" in innovation and "20" in innovation and "已达到" in innovation
    assert "直通条件（满足任一项即通过）" in block and "最省的过线办法" not in block


def test_a_firm_short_by_one_dimensions_minimum_is_told_the_cheapest_way_to_pass_in_words(
        published_editions, client, bob, firm):
    _short_of_innovation(firm)
    evaluate_all(2023, tiers=[TIER])
    client.force_login(bob)
    html = _panel(client, firm)
    block = html.split('class="score-block', 1)[1]
    assert "确定得分65分" in block and "创新能力5分，低于最低20分" in block
    innovation = block.split('data-dimension="innovation"', 1)[1].split("</tr>", 1)[0]
    assert "差15分" in innovation
    cheapest = block.split('class="small score-cheapest"', 1)[1]
    assert "最省的过线办法" in cheapest and "可得<strong>+15分</strong>" in cheapest


def test_the_self_assessment_page_shows_the_score_block_for_the_scored_tier(published_editions, client):
    data = {"assessment_year": "2023", "tiers": [TIER],
            "fy0_operating_revenue": "10000", "fy0_main_business_revenue": "9000", "fy0_rd_expense": "350",
            "fy0_total_assets": "10000", "fy0_total_liabilities": "5000", "fy1_main_business_revenue": "8000",
            "p1_name": "精密阀门", "p1_strategic": "yes", "ip_invention_granted": "1", "ip_high_value": "1",
            "ip_tied": "on", "science_award": "none", "honours": ["none"], "rd_level": "none"}
    html = client.post(reverse("self_assessment"), data).content.decode()
    block = html.split('class="score-block', 1)[1]
    # IP 20, R&D 3.50% 15, growth 12.5% 15, debt 50% 10, field 10, main share 90% 20
    assert 'data-sure="90"' in block and "按得分通过" in block
    rd = block.split('data-indicator="rd_share"', 1)[1].split("</tr>", 1)[0]
    assert "15/20" in rd and "差1.50个百分点" in rd
    assert "已获认定" in html and "评分制标准补充信息" in html


def test_a_flag_count_above_the_granted_inventions_is_refused_in_chinese(published_editions, client):
    html = client.post(reverse("self_assessment"), {"assessment_year": "2023", "ip_invention_granted": "1",
                                                    "ip_high_value": "2"}).content.decode()
    assert "不能多于已授权发明专利数量（1项）" in html


def test_the_closest_ranking_of_the_scored_tier_orders_firms_by_points_short_in_fixed_queries(
        published_editions, client, bob, town, django_assert_max_num_queries):
    passing = scored_firm(EnterpriseFactory(town=town, name="甲满分企业"))
    short_dim = _short_of_innovation(EnterpriseFactory(town=town, name="乙创新不足企业"))
    far = scored_firm(EnterpriseFactory(town=town, name="丙差距较大企业"), rd_expense="0", main="5000",
                      operating="10000", liabilities="9000", strategic=False, ip_flags={"ip_type": "utility"})
    evaluate_all(2023, tiers=[TIER])
    client.force_login(bob)
    with django_assert_max_num_queries(14) as few:
        response = client.get(reverse("criteria:closest"), {"tier": TIER})
    rows = [r.record for r in response.context["table"].page.object_list]
    assert [r.enterprise_id for r in rows] == [passing.pk, short_dim.pk, far.pk]
    assert [int(r.short) for r in rows] == [0, 15, 45], "the dimension's gap counts when the total is reached"
    html = response.content.decode()
    assert "差分" in html and "创新能力5/20" in html
    for i in range(4):
        scored_firm(EnterpriseFactory(town=town, name=f"丁补充企业{i}"))
    evaluate_all(2023, tiers=[TIER])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("criteria:closest"), {"tier": TIER})


def test_the_runs_page_shows_the_scored_tiers_points(published_editions, client, bob, firm):
    scored_firm(firm, rd_expense="345")
    evaluate_all(2023, tiers=[TIER])
    client.force_login(bob)
    html = client.get(reverse("criteria:runs")).content.decode()
    assert "创新型中小企业：平均确定得分95.0分（最高可能95.0分），按得分通过1家，按直通条件通过0家" in html


def test_a_plan_for_the_scored_tier_has_an_item_per_indicator_of_the_cheapest_way(published_editions, firm):
    _short_of_innovation(firm)
    firm.pool_status = PoolStatus.IN_POOL
    firm.save()
    evaluate_all(2023, tiers=[TIER])
    outcome = TierOutcome.objects.get(enterprise=firm, tier=TIER)
    assert outcome.verdict != "eligible"
    plan = generate_plan(firm, TIER)
    items = list(plan.items.order_by("position"))
    assert len(items) == 1
    assert items[0].code in ("ip", "rd_share") and "可得+15分" in items[0].gap_text
    assert "满分20分" in items[0].gap_text


def test_a_what_if_of_a_scored_edition_lists_firms_whose_verdict_or_points_change(published_editions, firm, town):
    scored_firm(firm, rd_expense="345")                # 95 points: stays eligible, loses 5 with 3% worth 10
    borderline = _short_of_innovation(EnterpriseFactory(town=town))
    published = Edition.objects.get(tier=TIER, status="published")
    draft = published.clone(2024)
    rd = draft.criteria.get(code="rd_share")
    rd.bands = [{**b, "points": "10"} if b.get("edge") == "3" else b for b in rd.bands]
    rd.save()
    ip = draft.criteria.get(code="ip")
    ip.bands = [{**b, "points": "20"} if b.get("edge") == "1" else b for b in ip.bands]   # Ⅱ类 5 → 20
    ip.save()
    result = what_if(draft, 2023)
    assert [c.enterprise.pk for c in result.gained] == [borderline.pk]
    assert result.gained[0].points_before == "65" and result.gained[0].points_after == "80"
    assert [c.enterprise.pk for c in result.rescored] == [firm.pk]
    assert (result.rescored[0].points_before, result.rescored[0].points_after) == ("95", "90")
    assert result.rescored[0].point_changes[0][1:] == (15, 10)
