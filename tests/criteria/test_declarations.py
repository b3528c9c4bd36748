"""Online declaration and its review: prefilled, scored as saved, frozen when submitted, reviewed by
the town then the county, and the pool admission that follows."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from criteria.models import Declaration, DeclarationEvent, Edition, PoolMembership, Round, Status
from enterprises.models import FiscalYearRecord, Notification, PoolStatus

from ..factories import FiscalYearFactory

TODAY = timezone.localdate()


@pytest.fixture
def admission(published_editions, bob):
    return Round.objects.create(title="2026年县级培育库入库申报", kind="admission", tier="county_pool", year=2025,
                                opens_on=TODAY - datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=10),
                                edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)


def _start(client, alice, round_):
    client.force_login(alice)
    response = client.post(reverse("criteria:declaration_start", args=[round_.pk]))
    return Declaration.objects.get(round=round_), response


def _fy_post(declaration, changes=None):
    changes = changes or {}
    years = declaration.round.years
    data = {"fy-TOTAL_FORMS": len(years), "fy-INITIAL_FORMS": len(years), "fy-MIN_NUM_FORMS": 0,
            "fy-MAX_NUM_FORMS": 1000}
    for i, year in enumerate(years):
        row = {"year": year, "operating_revenue": "3000", "main_business_revenue": "2600", "total_profit": "300",
               "taxes_paid": "120", **changes.get(i, {})}
        data.update({f"fy-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_new_declaration_is_prefilled_from_stored_records(client, alice, firm, admission):
    FiscalYearFactory(enterprise=firm, year=2025, operating_revenue="4321.00")
    declaration, response = _start(client, alice, admission)
    assert response.status_code == 302
    assert declaration.round.years == [2023, 2024, 2025]  # 近三年 (M5) is the widest county window
    by_year = {f["year"]: f for f in declaration.data["financials"]}
    assert by_year[2025]["operating_revenue"] == "4321.00" and set(by_year) == {2023, 2024, 2025}
    html = client.get(reverse("criteria:declaration_step", args=[declaration.pk, "financials"])).content.decode()
    assert "4321.00" in html


def test_a_second_declaration_for_the_same_round_reuses_the_first(client, alice, admission):
    first, _ = _start(client, alice, admission)
    response = client.post(reverse("criteria:declaration_start", args=[admission.pk]), follow=True)
    assert Declaration.objects.count() == 1
    assert "已有申报" in response.content.decode()


def test_saving_a_step_updates_the_score(client, alice, admission):
    declaration, _ = _start(client, alice, admission)
    response = client.post(reverse("criteria:declaration_step", args=[declaration.pk, "financials"]),
                           _fy_post(declaration))
    assert response.status_code == 302
    panel = client.get(reverse("criteria:declaration_score", args=[declaration.pk])).content.decode()
    assert "主营业务收入2,600.00万元" in panel
    assert FiscalYearRecord.objects.count() == 0, "stored records change only on approval"


def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(client, alice, admission):
    declaration, _ = _start(client, alice, admission)
    before = Declaration.objects.get(pk=declaration.pk).data
    response = client.post(reverse("criteria:declaration_step", args=[declaration.pk, "financials"]),
                           _fy_post(declaration, {0: {"operating_revenue": "-1"}, 1: {"year": 2019},
                                                   2: {"total_profit": "abc"}}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "营业收入不能为负数" in html and "年度2019不在本批次要求的范围" in html and "利润总额必须是数字" in html
    assert Declaration.objects.get(pk=declaration.pk).data == before


def test_uploads_are_checked_by_content_and_size(client, alice, admission, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    declaration, _ = _start(client, alice, admission)
    url = reverse("criteria:declaration_step", args=[declaration.pk, "attachments"])
    exe = SimpleUploadedFile("营业执照.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, content_type="application/pdf")
    html = client.post(url, {"file": exe}).content.decode()
    assert "不是允许的类型" in html
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (20 * 1024 * 1024), content_type="application/pdf")
    html = client.post(url, {"file": big}).content.decode()
    assert "超过20MB" in html
    good = SimpleUploadedFile("执照.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    client.post(url, {"file": good, "purpose": "营业执照"})
    attachment = declaration.attachments.get()
    assert attachment.kind == "pdf" and "执照" not in attachment.file.name and attachment.file.name.startswith("declarations/")
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_evidence_downloads_only_for_the_firm_and_reviewers_in_scope(client, alice, dave, bob, admission, other_firm,
                                                                       settings, tmp_path, django_user_model):
    from jinhu_portal.roles import Role
    from enterprises.services import assign_role

    settings.MEDIA_ROOT = str(tmp_path)
    declaration, _ = _start(client, alice, admission)
    client.post(reverse("criteria:declaration_step", args=[declaration.pk, "attachments"]),
                {"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxxxx")})
    url = reverse("criteria:attachment_download", args=[declaration.attachments.get().pk])
    assert client.get(url).status_code == 200
    for user in (dave, bob):
        client.force_login(user)
        assert client.get(url).status_code == 200
    stranger = assign_role(django_user_model.objects.create_user("mallory", password="x"), Role.ENTERPRISE,
                           enterprise=other_firm)
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_enterprise_user_cannot_touch_another_firms_declaration(client, alice, admission, other_firm):
    other = Declaration.objects.create(round=admission, enterprise=other_firm, data={})
    client.force_login(alice)
    assert client.get(reverse("criteria:declaration_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("criteria:declaration_step", args=[other.pk, "basic"]), {}).status_code == 404
    assert client.post(reverse("criteria:declaration_transition", args=[other.pk, "submit"])).status_code == 404
    other.refresh_from_db()
    assert other.status == Status.DRAFT


def test_submission_after_the_deadline_is_refused(client, alice, admission):
    declaration, _ = _start(client, alice, admission)
    Round.objects.filter(pk=admission.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    response = client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "submit"]), follow=True)
    assert "截止" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.DRAFT and declaration.snapshot is None


def _submit(client, alice, admission):
    declaration, _ = _start(client, alice, admission)
    client.post(reverse("criteria:declaration_step", args=[declaration.pk, "financials"]), _fy_post(declaration))
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "submit"]))
    declaration.refresh_from_db()
    return declaration


def test_town_then_county_approval_admits_the_firm_and_writes_its_records(client, alice, dave, bob, firm, admission):
    declaration = _submit(client, alice, admission)
    assert declaration.status == Status.SUBMITTED and declaration.snapshot["financials"]
    assert Notification.objects.filter(user=dave).exists()
    client.force_login(bob)
    response = client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]), follow=True)
    assert "不能" in response.content.decode(), "the county cannot skip the town's pre-review"
    client.force_login(dave)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "town_approve"]))
    client.force_login(bob)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]))
    declaration.refresh_from_db()
    firm.refresh_from_db()
    assert declaration.status == Status.APPROVED
    assert firm.pool_status == PoolStatus.IN_POOL
    assert PoolMembership.objects.get(enterprise=firm).round == admission
    assert FiscalYearRecord.objects.get(enterprise=firm, year=2025).main_business_revenue == 2600
    assert list(declaration.events.values_list("action", flat=True)) == ["submit", "town_approve", "approve"]
    assert Notification.objects.filter(user=alice, title__contains="审核通过").exists()
    html = client.get(reverse("criteria:enterprise_rounds", args=[firm.pk])).content.decode()
    assert "入库" in html and admission.title in html


def test_return_needs_a_reason_and_the_firm_resubmits(client, alice, bob, dave, firm, admission):
    declaration = _submit(client, alice, admission)
    client.force_login(dave)
    response = client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "return"]),
                           {"reason": "  "}, follow=True)
    assert "必须填写原因" in response.content.decode()
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "return"]),
                {"reason": "2025年研发费用缺失", "fields": ["financials"]})
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED and declaration.return_fields == ["financials"]
    assert Notification.objects.filter(user=alice, body="", title__contains="2025年研发费用缺失").exists()
    client.force_login(alice)
    html = client.get(reverse("criteria:declaration_step", args=[declaration.pk, "financials"])).content.decode()
    assert "2025年研发费用缺失" in html
    client.post(reverse("criteria:declaration_step", args=[declaration.pk, "financials"]),
                _fy_post(declaration, {2: {"rd_expense": "90"}}))
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "submit"]))
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED


def test_reject_needs_a_reason_and_is_for_the_county(client, alice, dave, bob, admission):
    declaration = _submit(client, alice, admission)
    client.force_login(dave)
    assert client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "reject"]),
                       {"reason": "不符合"}).status_code == 403
    client.force_login(bob)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "reject"]), {"reason": "主营业务不符"})
    declaration.refresh_from_db()
    assert declaration.status == Status.REJECTED


def test_town_officer_sees_only_its_towns_declarations(client, dave, admission, firm, other_firm):
    mine = Declaration.objects.create(round=admission, enterprise=firm, data={}, status=Status.SUBMITTED)
    other = Declaration.objects.create(round=admission, enterprise=other_firm, data={}, status=Status.SUBMITTED)
    client.force_login(dave)
    html = client.get(reverse("criteria:review_queue")).content.decode()
    assert firm.name in html and other_firm.name not in html
    assert client.get(reverse("criteria:declaration_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("criteria:declaration_detail", args=[mine.pk])).status_code == 200


def test_batch_approve_and_queue_export_escape_formulas(client, bob, admission, firm):
    firm.name = "=HYPERLINK(\"http://evil\")"
    firm.save()
    Declaration.objects.create(round=admission, enterprise=firm, data={}, status=Status.TOWN_APPROVED)
    client.force_login(bob)
    ids = list(Declaration.objects.values_list("pk", flat=True))
    client.post(reverse("criteria:batch_approve"), {"selection": ids})
    assert Declaration.objects.get().status == Status.APPROVED
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("criteria:review_queue_export")).content))
    cell = book.active["A2"]
    assert cell.value == "'" + firm.name and cell.data_type == "s"  # an apostrophe keeps it text
    roster = openpyxl.load_workbook(io.BytesIO(client.get(reverse("criteria:pool_roster_export")).content))
    assert roster.active["A2"].data_type == "s"


def test_every_transition_writes_one_event(client, alice, dave, admission):
    declaration = _submit(client, alice, admission)
    client.force_login(dave)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "town_approve"]))
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "town_approve"]))
    assert DeclarationEvent.objects.filter(declaration=declaration).count() == 2


def test_queue_api_uses_the_same_filters_and_scope_in_fixed_queries(client, dave, bob, admission, firm, other_firm,
                                                                      django_assert_max_num_queries):
    Declaration.objects.create(round=admission, enterprise=firm, data={}, status=Status.SUBMITTED, met=5)
    Declaration.objects.create(round=admission, enterprise=other_firm, data={}, status=Status.DRAFT, met=2)
    client.force_login(bob)
    with django_assert_max_num_queries(8):
        rows = client.get(reverse("api:declaration-list"), {"status": "submitted"}).json()["results"]
    assert [r["enterprise_name"] for r in rows] == [firm.name]
    client.force_login(dave)
    rows = client.get(reverse("api:declaration-list")).json()["results"]
    assert [r["enterprise_name"] for r in rows] == [firm.name]
    assert client.post(reverse("api:declaration-list"), {}).status_code in (403, 405)
