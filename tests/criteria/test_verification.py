"""Yearly re-verification: after a data-update round closes, members that no longer meet the county
pool or did not update are flagged; staff keep or move out with a reason; history stays."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from criteria.admission.declaring import admit
from criteria.models import Declaration, Edition, Flag, PoolMembership, Round, Status, Verification
from enterprises.models import Notification, PoolStatus

from ..factories import EnterpriseFactory, FiscalYearFactory

TODAY = timezone.localdate()


@pytest.fixture
def update_round(published_editions):
    return Round.objects.create(title="年度数据更新", kind="data_update", tier="county_pool", year=2025,
                                opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY - datetime.timedelta(days=1),
                                edition=Edition.objects.get(tier="county_pool", year=2022))


def test_members_are_flagged_and_staff_decide(client, bob, town, update_round):
    updated, silent = EnterpriseFactory(town=town, name="已更新企业"), EnterpriseFactory(town=town, name="未更新企业")
    for firm in (updated, silent):
        admit(firm, on=datetime.date(2024, 6, 30))
    FiscalYearFactory(enterprise=updated, year=2025, main_business_revenue="900", operating_revenue="1000",
                      total_profit="50", taxes_paid="20")
    Declaration.objects.create(round=update_round, enterprise=updated, data={}, status=Status.APPROVED)
    client.force_login(bob)
    client.post(reverse("criteria:round_verify", args=[update_round.pk]))
    flags = dict(Verification.objects.values_list("enterprise__name", "flag"))
    assert flags == {"已更新企业": Flag.NOT_MEETING, "未更新企业": Flag.NOT_UPDATED}

    row = Verification.objects.get(enterprise=updated)
    response = client.post(reverse("criteria:verification_decide", args=[row.pk]), {"decision": "move_out",
                                                                                    "reason": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    client.post(reverse("criteria:verification_decide", args=[row.pk]),
                {"decision": "move_out", "reason": "主营业务收入不足2000万元"})
    updated.refresh_from_db()
    assert updated.pool_status == PoolStatus.MOVED_OUT
    membership = PoolMembership.objects.get(enterprise=updated)
    assert membership.left_on == TODAY and "不足2000万元" in membership.leave_reason

    keep = Verification.objects.get(enterprise=silent)
    client.post(reverse("criteria:verification_decide", args=[keep.pk]), {"decision": "keep", "reason": "已电话核实"})
    silent.refresh_from_db()
    assert silent.pool_status == PoolStatus.IN_POOL


def test_moved_out_firm_keeps_its_history_and_can_come_back(bob, town, update_round):
    from criteria.admission.declaring import move_out

    firm = EnterpriseFactory(town=town)
    admit(firm, on=datetime.date(2023, 6, 30))
    move_out(firm, "不再符合")
    admit(firm)
    history = list(PoolMembership.objects.filter(enterprise=firm).order_by("admitted_on"))
    assert len(history) == 2 and history[0].left_on and history[1].left_on is None
    firm.refresh_from_db()
    assert firm.pool_status == PoolStatus.IN_POOL


def test_verification_waits_for_the_round_to_close(client, bob, update_round):
    Round.objects.filter(pk=update_round.pk).update(closes_on=TODAY + datetime.timedelta(days=3))
    client.force_login(bob)
    response = client.post(reverse("criteria:round_verify", args=[update_round.pk]), follow=True)
    assert "截止" in response.content.decode() and not Verification.objects.exists()


def test_opening_a_round_notifies_the_firms(client, bob, alice, published_editions):
    client.force_login(bob)
    edition = Edition.objects.get(tier="county_pool", year=2022)
    response = client.post(reverse("criteria:round_create"), {
        "title": "入库申报", "kind": "admission", "tier": "county_pool", "year": 2025,
        "opens_on": TODAY.isoformat(), "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "edition": edition.pk, "notice": ""})
    assert response.status_code == 302
    assert Notification.objects.filter(user=alice, title__contains="入库申报").exists()


def test_a_round_closing_before_it_opens_is_refused(client, bob, published_editions):
    client.force_login(bob)
    edition = Edition.objects.get(tier="national_giant", year=2022)
    response = client.post(reverse("criteria:round_create"), {
        "title": "错", "kind": "admission", "tier": "county_pool", "year": 2025, "opens_on": "2026-05-01",
        "closes_on": "2026-04-01", "edition": edition.pk})
    html = response.content.decode()
    assert "截止日期不能早于开始日期" in html and "所选标准版本不属于该层级" in html
    assert not Round.objects.exists()
