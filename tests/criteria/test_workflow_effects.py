"""The workflow's effects hang on its transition table: who is told of a submission, the pool a firm
enters once, the records approval writes and marks stale; and evidence files that never break a save."""
import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from criteria.admission import workflow
from criteria.admission.declaring import admit
from criteria.admission.views.declarations import save_attachment
from criteria.models import Attachment, Declaration, DeclarationEvent, Edition, PoolMembership, Round, Status
from criteria.uploads import fit_name
from enterprises.models import FiscalYearRecord, Notification
from enterprises.services import assign_role
from enterprises.signals import records_changed
from jinhu_portal.roles import Role

from ..factories import EnterpriseFactory, FiscalYearFactory, TownFactory, UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def admission(published_editions, bob):
    return Round.objects.create(title="2026年县级培育库入库申报", kind="admission", tier="county_pool", year=2025,
                                opens_on=TODAY - datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=10),
                                edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)


@pytest.fixture
def data_update(published_editions, bob):
    return Round.objects.create(title="年度数据更新", kind="data_update", tier="county_pool", year=2025,
                                opens_on=TODAY - datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=10),
                                edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)


def test_every_transition_names_its_effects_in_the_table():
    effects = {name: ([g.__name__ for g in t.guards], [s.__name__ for s in t.stamps], [e.__name__ for e in t.effects],
                      [n.__name__ for n in t.notices]) for name, t in workflow.TRANSITIONS.items()}
    assert effects == {
        "submit": (["round_is_open", "not_in_pool_yet"], ["freeze"], [], ["tell_reviewers"]),
        "town_approve": ([], [], [], []),
        "approve": (["not_in_pool_yet"], ["decided"], ["write_records", "admit_to_pool"], ["tell_firm"]),
        "return": ([], ["note_return"], [], ["tell_firm"]),
        "reject": ([], ["decided"], [], ["tell_firm"]),
    }


def test_a_submission_tells_the_staff_and_the_officers_of_the_firms_town_only(client, alice, firm, dave, bob, admission,
                                                                              other_town):
    other_officer = assign_role(UserFactory(username="frank"), Role.TOWN_OFFICER, town=other_town)
    leader = assign_role(UserFactory(username="carl"), Role.LEADER)
    client.force_login(alice)
    client.post(reverse("criteria:declaration_start", args=[admission.pk]))
    declaration = Declaration.objects.get(enterprise=firm)
    client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "submit"]))
    told = set(Notification.objects.filter(title__contains="提交了申报").values_list("user__username", flat=True))
    assert told == {"dave", "bob"}
    note = Notification.objects.get(user=bob, title__contains="提交了申报")
    assert firm.name in note.title and note.link == declaration.get_absolute_url()
    assert not Notification.objects.filter(user__in=[other_officer, leader]).exists()


def test_a_firm_in_the_pool_is_not_offered_an_admission_round(client, alice, firm, admission, data_update):
    admit(firm, on=datetime.date(2024, 6, 30))
    client.force_login(alice)
    panel = client.get(reverse("criteria:enterprise_rounds", args=[firm.pk])).content.decode()
    assert admission.title not in panel and data_update.title in panel
    assert "已在县级培育库中" in panel
    listing = client.get(reverse("criteria:round_list")).content.decode()
    assert admission.title not in listing and data_update.title in listing


def test_a_firm_outside_the_pool_is_offered_the_admission_round(client, alice, firm, admission):
    client.force_login(alice)
    panel = client.get(reverse("criteria:enterprise_rounds", args=[firm.pk])).content.decode()
    assert admission.title in panel and "开始填报" in panel


def test_a_firm_in_the_pool_cannot_start_an_admission_declaration(client, alice, firm, admission):
    admit(firm, on=datetime.date(2024, 6, 30))
    client.force_login(alice)
    response = client.post(reverse("criteria:declaration_start", args=[admission.pk]), follow=True)
    assert "该企业已在培育库中，无需重复入库。" in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_firm_already_in_the_pool_is_not_approved_into_it_twice(client, bob, firm, admission):
    declaration = Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED,
                                             data={"financials": [{"year": 2025, "operating_revenue": "5000"}]})
    admit(firm, on=datetime.date(2024, 6, 30))
    client.force_login(bob)
    response = client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]), follow=True)
    assert "该企业已在培育库中，无需重复入库。" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.TOWN_APPROVED and not declaration.events.exists()
    assert PoolMembership.objects.filter(enterprise=firm).count() == 1
    assert not FiscalYearRecord.objects.filter(enterprise=firm).exists(), "nothing is written when approval fails"


def test_batch_approval_names_the_firm_already_in_the_pool(client, bob, firm, admission):
    Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED, data={})
    admit(firm)
    client.force_login(bob)
    ids = list(Declaration.objects.values_list("pk", flat=True))
    html = client.post(reverse("criteria:batch_approve"), {"selection": ids}, follow=True).content.decode()
    assert f"{firm.name}：该企业已在培育库中，无需重复入库。" in html


def test_a_data_update_round_of_a_pool_member_is_approved_and_keeps_its_membership(bob, firm, data_update):
    membership = admit(firm, on=datetime.date(2024, 6, 30))
    declaration = Declaration.objects.create(round=data_update, enterprise=firm, status=Status.TOWN_APPROVED,
                                             data={"financials": [{"year": 2025, "operating_revenue": "5000"}]})
    workflow.perform(declaration.pk, "approve", bob)
    assert list(PoolMembership.objects.filter(enterprise=firm)) == [membership]
    assert FiscalYearRecord.objects.get(enterprise=firm, year=2025).operating_revenue == 5000


def _approve_and_listen(declaration, bob, capture):
    heard = []

    def listener(sender, enterprise_ids, years, **kwargs):
        heard.append((enterprise_ids, years))

    records_changed.connect(listener)
    try:
        with capture(execute=True):
            workflow.perform(declaration.pk, "approve", bob)
    finally:
        records_changed.disconnect(listener)
    return heard


def test_approval_marks_the_firm_and_the_fiscal_years_it_wrote_as_stale(bob, firm, admission,
                                                                         django_capture_on_commit_callbacks):
    FiscalYearFactory(enterprise=firm, year=2024, operating_revenue="2000")
    declaration = Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED, data={
        "financials": [{"year": 2023, "operating_revenue": "3000"}, {"year": 2024, "operating_revenue": "2000"},
                       {"year": 2025}]})
    assert _approve_and_listen(declaration, bob, django_capture_on_commit_callbacks) == [({firm.pk}, {2023})]


def test_approval_that_changes_more_than_figures_marks_every_year_stale(bob, firm, admission,
                                                                       django_capture_on_commit_callbacks):
    declaration = Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED, data={
        "financials": [{"year": 2025, "operating_revenue": "3000"}], "brands": [{"name": "金湖", "level": "city"}]})
    assert _approve_and_listen(declaration, bob, django_capture_on_commit_callbacks) == [({firm.pk}, set())]


def test_a_long_evidence_file_name_is_shortened_keeping_its_extension(client, alice, admission, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(alice)
    client.post(reverse("criteria:declaration_start", args=[admission.pk]))
    declaration = Declaration.objects.get()
    name = "关于申报县级专精特新培育库的" * 20 + ".pdf"
    response = client.post(reverse("criteria:declaration_step", args=[declaration.pk, "attachments"]),
                           {"file": SimpleUploadedFile(name, b"%PDF-1.4 ok"), "purpose": "说明"}, follow=True)
    assert response.status_code == 200
    stored = Attachment.objects.get()
    limit = Attachment._meta.get_field("original_name").max_length
    assert len(stored.original_name) <= limit and stored.original_name.endswith(".pdf")
    assert stored.original_name[:-4] == name[:limit - 4]
    assert client.get(reverse("criteria:attachment_download", args=[stored.pk])).status_code == 200


def test_fitting_a_name_keeps_short_names_and_odd_extensions():
    assert fit_name("执照.pdf", 200) == "执照.pdf"
    assert fit_name("a" * 30, 10) == "a" * 10
    assert fit_name("b" * 30 + ".docx", 12) == "b" * 7 + ".docx"
    assert fit_name("c" * 30 + "." + "x" * 20, 12) == ("c" * 30 + "." + "x" * 20)[:12]


@pytest.mark.django_db(transaction=True)
def test_a_failed_save_of_an_evidence_file_leaves_no_file_behind(settings, tmp_path, published_editions):
    settings.MEDIA_ROOT = str(tmp_path)
    firm = EnterpriseFactory(town=TownFactory())
    user = UserFactory()
    round_ = Round.objects.create(title="入库申报", kind="admission", tier="county_pool", year=2025,
                                  opens_on=TODAY, closes_on=TODAY,
                                  edition=Edition.objects.get(tier="county_pool", year=2022))
    declaration = Declaration.objects.create(round=round_, enterprise=firm, data={})
    gone = Declaration(pk=declaration.pk, round=round_, enterprise=firm)
    Declaration.objects.filter(pk=declaration.pk).delete()   # withdrawn while the file was on its way
    with pytest.raises(IntegrityError):
        save_attachment(gone, SimpleUploadedFile("执照.pdf", b"%PDF-1.4 ok"), "pdf", "", user)
    assert not Attachment.objects.exists()
    files = [f for _dirs, _sub, names in os.walk(tmp_path) for f in names]
    assert files == [], "the stored file is removed when its row cannot be saved"
    assert not DeclarationEvent.objects.exists()
