"""Faults in the middle of a write (issue 13): the database connection dropping during an import or
an approval leaves nothing half-written, and the user reads what happened in Chinese, never a 500."""
import dataclasses

from django.db import OperationalError
from django.urls import reverse

from criteria.admission import workflow
from criteria.models import Declaration, PoolMembership, Status
from enterprises import importing
from enterprises.models import FiscalYearRecord, Notification
from tests.criteria.test_workflow_effects import admission  # noqa: F401  (an open admission round)
from tests.enterprises.test_import import COMMIT_URL, row, upload, xlsx

DROPPED = OperationalError("server closed the connection unexpectedly")


def connection_drops(*args, **kwargs):
    raise DROPPED


def test_an_import_whose_connection_drops_midway_writes_nothing_and_says_so(client, bob, firm, media,  # noqa: F811
                                                                            monkeypatch):
    client.force_login(bob)
    upload(client, xlsx([row(firm, 2023), row(firm, 2024)]))
    token = client.session["fiscal_year_import"]["token"]
    # the records are in; the connection drops while their history is written
    monkeypatch.setattr(importing._Writer, "insert_history", connection_drops)
    response = client.post(COMMIT_URL, {"token": token}, follow=True)
    assert response.status_code == 200
    assert "导入失败，未写入任何数据：数据库连接中断，请稍后重新上传再试。" in response.content.decode()
    assert not FiscalYearRecord.objects.exists() and not FiscalYearRecord.history.exists()


def test_an_approval_whose_connection_drops_midway_leaves_the_declaration_as_it_was(  # noqa: F811
        client, bob, firm, admission, monkeypatch):  # noqa: F811
    declaration = Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED,
                                             data={"financials": [{"year": 2025, "operating_revenue": "5000"}]})
    approve = workflow.TRANSITIONS["approve"]
    # the records are written and the firm admitted; then the connection drops
    monkeypatch.setitem(workflow.TRANSITIONS, "approve",
                        dataclasses.replace(approve, effects=(*approve.effects, connection_drops)))
    client.force_login(bob)
    response = client.post(reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]), follow=True)
    assert response.status_code == 200
    assert "数据库连接中断，本次操作未作任何修改，请稍后重试。" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.TOWN_APPROVED and not declaration.events.exists()
    assert not PoolMembership.objects.filter(enterprise=firm).exists()
    assert not FiscalYearRecord.objects.filter(enterprise=firm).exists()
    assert not Notification.objects.exists(), "the firm is not told of an approval that did not happen"


def test_a_batch_approval_names_the_firm_whose_approval_the_dropped_connection_stopped(  # noqa: F811
        client, bob, firm, admission, monkeypatch):  # noqa: F811
    Declaration.objects.create(round=admission, enterprise=firm, status=Status.TOWN_APPROVED, data={})
    approve = workflow.TRANSITIONS["approve"]
    monkeypatch.setitem(workflow.TRANSITIONS, "approve",
                        dataclasses.replace(approve, effects=(*approve.effects, connection_drops)))
    client.force_login(bob)
    ids = list(Declaration.objects.values_list("pk", flat=True))
    html = client.post(reverse("criteria:batch_approve"), {"selection": ids}, follow=True).content.decode()
    assert f"{firm.name}：数据库连接中断，本次操作未作任何修改，请稍后重试。" in html
    assert Declaration.objects.get().status == Status.TOWN_APPROVED
    assert not PoolMembership.objects.exists()
