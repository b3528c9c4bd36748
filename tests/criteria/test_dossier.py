"""一企一册: the dossier page, its PDF, the ZIP of a town's or the pool's dossiers, scope, query counts
and the refusal to write a PDF without the Chinese font."""
import io
import logging
import re
import subprocess
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from criteria import dossier
from criteria.models import (
    CriterionOutcome,
    CultivationPlan,
    Declaration,
    DeclarationEvent,
    Edition,
    EvaluationRun,
    PlanItem,
    PlanProgress,
    PoolMembership,
    RecommendationEntry,
    RecommendationList,
    Round,
    TierOutcome,
    Verification,
)
from enterprises import models as m
from enterprises.services import assign_role
from jinhu_portal.roles import Role
from jobs.models import Job

from ..factories import (
    BadRecordFactory,
    BrandFactory,
    CertificationFactory,
    CompetitionFactory,
    EnterpriseFactory,
    FiscalYearFactory,
    InformationSystemFactory,
    IPItemFactory,
    ProductFactory,
    ProductRevenueFactory,
    RDInstitutionFactory,
    RecognitionFactory,
    StandardFactory,
    UserFactory,
)

LAST_YEAR = 2025


def pdf_text(content, tmp_path, name="dossier.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(content, tmp_path, name="pages.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def firm_with_history(firm, n, staff):
    """`n` records of every kind the dossier shows, for `firm`."""
    edition = Edition.objects.get(tier="county_pool", year=2022)
    officer = assign_role(UserFactory(username=f"officer{firm.pk}", first_name="王明"), Role.STAFF)
    firm.tracking_officer = officer
    firm.liaison_officer = "李联络员"
    firm.save()
    for year in range(LAST_YEAR - n + 1, LAST_YEAR + 1):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal("3000.00") + year)
    for i in range(n):
        product = ProductFactory(enterprise=firm, name=f"主导产品{i:02d}")
        ProductRevenueFactory(product=product, year=LAST_YEAR)
        IPItemFactory(enterprise=firm, product=product)
        RDInstitutionFactory(enterprise=firm)
        BrandFactory(enterprise=firm)
        CertificationFactory(enterprise=firm)
        StandardFactory(enterprise=firm)
        InformationSystemFactory(enterprise=firm)
        CompetitionFactory(enterprise=firm)
        BadRecordFactory(enterprise=firm)
        RecognitionFactory(enterprise=firm, year=2000 + i, document=f"淮工信〔{2000 + i}〕{i}号")
    today = timezone.localdate()
    for i in range(n):
        round_ = Round.objects.create(title=f"第{i}批入库申报", kind="admission", tier="county_pool", year=2024,
                                      opens_on=today - timedelta(days=400 + i), closes_on=today - timedelta(days=300 + i),
                                      edition=edition)
        declaration = Declaration.objects.create(round=round_, enterprise=firm, status="approved", data={})
        DeclarationEvent.objects.create(declaration=declaration, action="submit", from_status="draft",
                                        to_status="submitted", actor=staff)
        DeclarationEvent.objects.create(declaration=declaration, action="approve", from_status="submitted",
                                        to_status="approved", actor=staff, reason=f"审核通过{i}")
        Verification.objects.create(round=round_, enterprise=firm, flag="ok", decision="keep", decided_by=staff)
        PoolMembership.objects.create(enterprise=firm, admitted_on=date(2000 + i, 6, 30),
                                      left_on=None if i == n - 1 else date(2000 + i, 12, 31),
                                      leave_reason="" if i == n - 1 else "动态核查移出")
        rlist = RecommendationList.objects.create(tier="city_giant", year=2000 + i, version=firm.pk, title=f"{2000 + i}年市级推荐名单",
                                                  status="frozen")
        RecommendationEntry.objects.create(recommendation_list=rlist, enterprise=firm, position=1,
                                           outcome="recognised", outcome_document=f"淮工信〔{2000 + i}〕9号")
        plan = CultivationPlan.objects.create(enterprise=firm, tier="city_giant", year=2024, created_on=today,
                                              status="active" if i == n - 1 else "closed", created_by=staff)
    for i in range(n):
        PlanItem.objects.create(plan=plan, code=f"M{i}", gap_text=f"主营业务收入还差{i},200.00万元",
                                action="拓展市场", responsible_unit="gongxin", owner=staff, position=i,
                                due_date=today + timedelta(days=30), status="done" if i % 2 else "open")
        PlanProgress.objects.create(plan=plan, evaluated_at=timezone.now(), year=2024, met=5, missed=3,
                                    items_done=i // 2, items_total=n)
    run = EvaluationRun.objects.create(year=2024, finished_at=timezone.now())
    outcome = TierOutcome.objects.create(run=run, enterprise=firm, tier="county_pool", edition=edition,
                                         verdict="not_eligible", own_variant="", met=3, missed=n, open=0)
    CriterionOutcome.objects.bulk_create(
        CriterionOutcome(outcome=outcome, code=f"M{i}", text=f"条文{i}", result="not_met", actual="1",
                         threshold="2", unit="项", gap="1") for i in range(n))
    for i in range(n):                    # the change history: edits of the firm and of a year
        firm.main_business = f"精密阀门第{i}版"
        firm.save()
        fy = firm.fiscal_years.get(year=LAST_YEAR)
        fy.rd_expense = Decimal(100 + i)
        fy.save()
    return firm


@pytest.fixture
def rich_firm(firm, bob, published_editions):
    return firm_with_history(firm, 3, bob)


# ---- The page --------------------------------------------------------------------------------

def test_the_dossier_gathers_every_section_of_the_firm(client, bob, rich_firm):
    client.force_login(bob)
    html = client.get(reverse("dossier", args=[rich_firm.pk])).content.decode()
    for key, label in dossier.SECTIONS:
        assert f'id="dossier-{key}"' in html and str(label) in html
    assert "王明" in html and "李联络员" in html                       # tracking officer by name, liaison
    assert "5,025.00" in html                                         # figures with thousands separators
    assert "主导产品00" in html and "一种测试装置" in html and "企业技术中心" in html
    assert "第0批入库申报" in html and "审核通过0" in html              # declarations and their review
    assert "动态核查移出" in html and "仍符合入库条件" in html            # pool history and yearly check
    assert "金湖县专精特新小巨人企业培育库" in html and "条文2" in html   # results per tier, with gaps
    assert "主营业务收入还差2,200.00万元" in html and "已完成 1 / 3 项" in html   # the plan and its progress
    assert "2000年市级推荐名单" in html and "淮工信〔2001〕9号" in html    # list entries
    history = html.split('id="dossier-history"')[1]
    assert "主营业务" in history and "研发费用" in history and "2025年度财务数据" in history
    assert 'id="dossier-chart-data"' in html and "echarts.min.js" in html and "dossier-charts.js" in html


def test_recognitions_show_on_the_dossier_with_kind_level_year_and_document(client, carol, firm):
    RecognitionFactory(enterprise=firm, kind=m.RecognitionKind.PROVINCE_GIANT, level=m.Level.PROVINCE, year=2024,
                       document="苏工信中小〔2024〕123号", granted_on=date(2024, 11, 20))
    client.force_login(carol)
    response = client.get(reverse("dossier", args=[firm.pk]))
    row = response.content.decode().split('data-kind="province_giant"')[1].split("</tr>")[0]
    for text in ("省级专精特新小巨人", "省级", "2024", "苏工信中小〔2024〕123号", "2024-11-20"):
        assert text in row


def test_the_page_has_no_inline_script_and_reads_its_chart_data_from_a_json_tag(client, bob, rich_firm):
    client.force_login(bob)
    html = client.get(reverse("dossier", args=[rich_firm.pk])).content.decode()
    inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s]
    assert inline == [' id="dossier-chart-data" type="application/json"']
    assert " style=" not in html.split("<main")[1]


def test_the_firm_page_links_to_the_dossier(client, alice, firm):
    client.force_login(alice)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert reverse("dossier", args=[firm.pk]) in html


def test_staff_see_the_change_history_and_the_firm_does_not(client, alice, bob, rich_firm):
    client.force_login(bob)
    assert 'id="dossier-history"' in client.get(reverse("dossier", args=[rich_firm.pk])).content.decode()
    client.force_login(alice)
    html = client.get(reverse("dossier", args=[rich_firm.pk])).content.decode()
    assert 'id="dossier-history"' not in html and "变更记录" not in html


def test_the_dossier_lists_the_firms_change_history_as_the_firm_page_does(client, bob, rich_firm):
    from enterprises.services import change_history

    client.force_login(bob)
    html = client.get(reverse("dossier", args=[rich_firm.pk])).content.decode().split('id="dossier-history"')[1]
    rows = change_history(rich_firm, dossier.HISTORY_LIMIT)
    assert rows and html.count("<tr>") - 1 == len(rows)        # the header row, then one row per change
    assert str(rows[0]["object"]) in html and "研发费用" in html


def test_a_firm_never_evaluated_is_scored_live_on_its_dossier(client, bob, firm, published_editions):
    FiscalYearFactory(enterprise=firm, year=timezone.localdate().year - 1)
    client.force_login(bob)
    html = client.get(reverse("dossier", args=[firm.pk])).content.decode()
    assert "实时计算" in html and "金湖县专精特新小巨人企业培育库" in html


# ---- Scope -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["dossier", "dossier_pdf"])
def test_a_dossier_outside_ones_scope_is_a_404(client, alice, dave, firm, other_firm, url_name):
    client.force_login(alice)
    assert client.get(reverse(url_name, args=[other_firm.pk])).status_code == 404
    client.force_login(dave)
    assert client.get(reverse(url_name, args=[other_firm.pk])).status_code == 404
    assert client.get(reverse(url_name, args=[99999])).status_code == 404


def test_the_firm_user_leader_and_member_unit_read_the_dossier(client, alice, carol, erin, firm):
    for user in (alice, carol, erin):
        client.force_login(user)
        assert client.get(reverse("dossier", args=[firm.pk])).status_code == 200


# ---- Queries ---------------------------------------------------------------------------------

def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


# Session, user, permissions, role; the firm and one query per kind of record (24); the change history
# (enterprises.services.change_history: one index query, one per kind of record among the newest changes,
# at most 13, tags and linked names); the town list of the ZIP menu, the inbox count; the services
# section (services_dossier: links in force, newest visits, newest requests).
PAGE_QUERIES = 53


def test_the_dossier_page_and_pdf_do_a_fixed_number_of_queries_whatever_the_history(
        client, bob, town, published_editions, django_assert_max_num_queries, tmp_path):
    small = firm_with_history(EnterpriseFactory(town=town, name="一条记录企业"), 1, bob)
    large = firm_with_history(EnterpriseFactory(town=town, name="五十条记录企业"), 50, bob)
    # Staff (with the change history): at most PAGE_QUERIES, for one record of each kind as for fifty.
    client.force_login(bob)
    for firm in (small, large):
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(reverse("dossier", args=[firm.pk]))
        assert response.status_code == 200
    html = response.content.decode()
    assert html.count("dossier-events") == 50 and "审核通过49" in html and "主导产品49" in html
    for firm in (small, large):
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(reverse("dossier_pdf", args=[firm.pk]))
        assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "五十条记录企业" in text and "主导产品49" in text and "1976" in text
    # The firm's own user (no change history): exactly the same count for one record as for fifty.
    for firm in (small, large):
        assign_role(UserFactory(username=f"user-of-{firm.pk}"), Role.ENTERPRISE, enterprise=firm)
    counts = []
    for firm in (small, large):
        client.force_login(firm.users.get().user)
        client.get(reverse("dossier", args=[firm.pk]))
        counts.append(_count(client, reverse("dossier", args=[firm.pk]))[0])
    assert counts[0] == counts[1] <= PAGE_QUERIES


# ---- PDF -------------------------------------------------------------------------------------

def test_a_pdf_without_the_chinese_font_is_refused_in_chinese_and_logged(client, bob, firm, settings, caplog):
    settings.PDF_FONT_FAMILY = "No Such Chinese Font"
    client.force_login(bob)
    with caplog.at_level(logging.ERROR, logger="criteria.dossier"):
        response = client.get(reverse("dossier_pdf", args=[firm.pk]))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "PDF 生成失败：服务器缺少中文字体（No Such Chinese Font），请联系管理员。" in response.content.decode()
    assert "No Such Chinese Font" in caplog.text and "fc-list" in caplog.text


def test_the_default_font_is_found_and_named_wenquanyi_in_the_message(settings, monkeypatch):
    settings.PDF_FONT_FAMILY = dossier.DEFAULT_FONT
    assert dossier.font_installed(dossier.DEFAULT_FONT)
    monkeypatch.setattr(dossier, "font_installed", lambda family: False)
    assert dossier.pdf_problem() == "PDF 生成失败：服务器缺少中文字体（文泉驿正黑），请联系管理员。"


def test_a_zip_request_without_the_chinese_font_is_refused_before_any_pdf(client, bob, firm, settings):
    m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.IN_POOL)
    settings.PDF_FONT_FAMILY = "No Such Chinese Font"
    client.force_login(bob)
    response = client.post(reverse("dossiers_zip"))
    assert response.status_code == 503 and "缺少中文字体" in response.content.decode()
    assert not Job.objects.exists()


# ---- ZIP -------------------------------------------------------------------------------------

def zip_of(client, job):
    response = client.get(reverse("jobs:file", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_staff_get_the_dossiers_of_a_town_as_one_zip_named_by_name_and_uscc_from_a_background_job(
        client, bob, town, other_town, tmp_path, media):
    in_pool = [EnterpriseFactory(town=town, name=f"甲镇在库企业{i}", pool_status=m.PoolStatus.IN_POOL)
               for i in range(dossier.ZIP_CHUNK + 1)]            # two parts, joined into one ZIP
    EnterpriseFactory(town=town, name="甲镇库外企业")
    EnterpriseFactory(town=other_town, name="乙镇在库企业", pool_status=m.PoolStatus.IN_POOL)
    client.force_login(bob)
    response = client.post(reverse("dossiers_zip"), {"town": town.pk})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.status, job.parts, job.total, job.done) == (Job.Status.DONE, 2, len(in_pool), len(in_pool))
    page = client.get(response["Location"]).content.decode()
    assert f"已生成 {len(in_pool)} 家企业的一企一册。" in page and "一企一册批量导出（甲镇）" in page
    assert f"下载 甲镇培育库一企一册_{timezone.localdate():%Y%m%d}.zip" in page

    response, archive = zip_of(client, job)
    assert "attachment" in response["Content-Disposition"] and "%E7%94%B2%E9%95%87" in response["Content-Disposition"]
    assert sorted(archive.namelist()) == sorted(f"{f.name}_{f.uscc}.pdf" for f in in_pool)
    assert archive.testzip() is None
    text = pdf_text(archive.read(f"{in_pool[0].name}_{in_pool[0].uscc}.pdf"), tmp_path)
    assert in_pool[0].name in text
    assert sorted(p.name for p in (media / "jobs").iterdir()) == [f"dossiers-{job.pk}.zip"]  # parts removed

    client.post(reverse("dossiers_zip"))                                 # the whole pool
    _response, archive = zip_of(client, Job.objects.latest("pk"))
    names = archive.namelist()
    assert len(names) == len(in_pool) + 1 and any(n.startswith("乙镇在库企业") for n in names)


def test_a_dossier_job_still_running_or_failed_offers_no_file(client, bob, town, media):
    EnterpriseFactory(town=town, pool_status=m.PoolStatus.IN_POOL)
    client.force_login(bob)
    client.post(reverse("dossiers_zip"))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert "job-download" not in client.get(reverse("jobs:progress", args=[job.pk])).content.decode()


def test_a_zip_of_nothing_or_of_an_unknown_town_says_so_in_chinese(client, bob, town):
    client.force_login(bob)
    response = client.post(reverse("dossiers_zip"), {"town": town.pk})
    assert response.status_code == 404 and "所选范围内没有在库企业" in response.content.decode()
    for bad in ("abc", "99999"):
        response = client.post(reverse("dossiers_zip"), {"town": bad})
        assert response.status_code == 404 and "没有找到该镇" in response.content.decode()
    assert not Job.objects.exists()


def test_only_staff_make_the_zip(client, alice, dave, carol, erin):
    for user in (alice, dave, carol, erin):
        client.force_login(user)
        assert client.post(reverse("dossiers_zip")).status_code == 403


def test_a_file_name_never_carries_a_path_separator(firm):
    firm.name = "甲/乙:丙*企业"
    assert dossier.pdf_filename(firm) == f"甲_乙_丙_企业_{firm.uscc}.pdf"


def test_deleting_a_dossier_job_removes_its_zip(client, bob, town, media):
    EnterpriseFactory(town=town, pool_status=m.PoolStatus.IN_POOL)
    client.force_login(bob)
    client.post(reverse("dossiers_zip"))
    job = Job.objects.get()
    stored = media / job.file.name
    assert stored.exists()
    Job.objects.all().delete()
    assert not stored.exists()


def test_a_failed_dossier_job_keeps_its_parts_for_a_retry_and_deleting_it_removes_them(
        client, bob, town, media, monkeypatch):
    for i in range(dossier.ZIP_CHUNK + 1):
        EnterpriseFactory(town=town, name=f"在库企业{i}", pool_status=m.PoolStatus.IN_POOL)
    real = dossier.iter_dossier_pdfs
    calls = []

    def second_part_fails(firms, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("PDF 生成中断")
        return real(firms, **kwargs)

    monkeypatch.setattr(dossier, "iter_dossier_pdfs", second_part_fails)
    client.force_login(bob)
    client.post(reverse("dossiers_zip"))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert [p.name for p in (media / "jobs").iterdir()] == [f"{job.pk}-part-0.zip"]   # kept for the retry
    job.delete()
    assert list((media / "jobs").iterdir()) == []
