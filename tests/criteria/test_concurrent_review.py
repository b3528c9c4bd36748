"""Two reviewers approve the same declaration at the same moment: exactly one wins, on SQLite (the
default database: transactions begin IMMEDIATE and wait on a busy timeout) as on PostgreSQL (row
locks). The test database is a file on SQLite (settings/test.py), so the threads share it."""
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from criteria.admission import workflow
from criteria.models import Declaration, DeclarationEvent, Edition, PoolMembership, Round, Status
from criteria.services import load_editions
from jinhu_portal.roles import Role
from enterprises.services import assign_role

from ..factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_approvals_make_one_transition_and_one_audit_entry():
    load_editions()
    today = timezone.localdate()
    round_ = Round.objects.create(title="并发测试批次", kind="admission", tier="county_pool", year=2025,
                                  opens_on=today - datetime.timedelta(days=1), closes_on=today,
                                  edition=Edition.objects.get(tier="county_pool", year=2022))
    firm = EnterpriseFactory()
    declaration = Declaration.objects.create(round=round_, enterprise=firm, data={}, status=Status.TOWN_APPROVED)
    reviewers = [assign_role(UserFactory(username=f"reviewer{i}"), Role.STAFF) for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            workflow.perform(declaration.pk, "approve", user)
            outcomes.append("won")
        except workflow.Conflict as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:  # noqa: BLE001 -- "database is locked" would be a 500 in a view
            outcomes.append(f"failed: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2, "neither reviewer may fail with anything but the conflict message"
    assert sorted(outcomes, key=lambda o: o != "won")[0] == "won"
    assert outcomes.count("won") == 1
    assert any("已被他人处理" in o for o in outcomes)
    assert DeclarationEvent.objects.filter(declaration=declaration, action="approve").count() == 1
    assert PoolMembership.objects.filter(enterprise=firm).count() == 1
    assert Declaration.objects.get(pk=declaration.pk).status == Status.APPROVED
