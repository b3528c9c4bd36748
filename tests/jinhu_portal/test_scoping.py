"""The scoping helpers on their own (fast; the permission matrix covers the views): what each role
reaches through `visible_to`, which role a user acts in, and what each role's group may do."""
import pytest
from django.contrib.auth.models import AnonymousUser, Group

from criteria.admission.declaring import admit
from criteria.models import PoolMembership
from enterprises.models import Enterprise, FiscalYearRecord
from jinhu_portal.roles import GROUP_NAMES, Role, is_staff_role, own_enterprise_id, role_of

from ..conftest import _user
from ..factories import FiscalYearFactory, UserFactory


@pytest.fixture
def records(firm, other_firm):
    FiscalYearFactory(enterprise=firm, year=2023)
    FiscalYearFactory(enterprise=other_firm, year=2023)
    admit(firm)
    admit(other_firm)


def names(qs, path="enterprise__name"):
    return sorted(qs.values_list(path, flat=True))


def test_a_town_officer_reaches_its_towns_firms_and_their_records_only(dave, records):
    assert names(Enterprise.objects.visible_to(dave), "name") == ["甲镇示范企业"]
    assert names(FiscalYearRecord.objects.visible_to(dave)) == ["甲镇示范企业"]
    assert names(PoolMembership.objects.visible_to(dave)) == ["甲镇示范企业"]


def test_a_firm_user_reaches_its_own_firm_and_its_records_only(alice, records):
    assert names(Enterprise.objects.visible_to(alice), "name") == ["甲镇示范企业"]
    assert names(FiscalYearRecord.objects.visible_to(alice)) == ["甲镇示范企业"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT])
def test_county_roles_reach_every_firm(records, role):
    user = _user(f"u-{role}", role, **({"member_unit": "keji"} if role == Role.MEMBER_UNIT else {}))
    assert names(Enterprise.objects.visible_to(user), "name") == ["乙镇示范企业", "甲镇示范企业"]
    assert names(FiscalYearRecord.objects.visible_to(user)) == ["乙镇示范企业", "甲镇示范企业"]


def test_a_user_without_a_role_or_without_a_scope_reaches_nothing(records):
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()
    assert not Enterprise.objects.visible_to(UserFactory(username="nobody")).exists()
    assert not FiscalYearRecord.objects.visible_to(_user("town-less", Role.TOWN_OFFICER)).exists()
    assert not FiscalYearRecord.objects.visible_to(_user("firm-less", Role.ENTERPRISE)).exists()
    assert not Enterprise.objects.visible_to(_user("firm-less-2", Role.ENTERPRISE)).exists()


def test_the_highest_role_among_a_users_groups_is_the_one_it_acts_in(db, town):
    user = _user("two-hats", Role.TOWN_OFFICER, town=town)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.LEADER]))
    user.__dict__.pop("_portal_role", None)
    assert role_of(user) == Role.LEADER
    assert role_of(UserFactory(username="root", is_superuser=True)) == Role.ADMIN
    assert role_of(AnonymousUser()) is None
    plain = UserFactory(username="plain")
    assert role_of(plain) is None and role_of(plain) is None      # cached as "no role"


def test_only_staff_and_admins_are_staff_roles(bob, dave, carol):
    assert is_staff_role(bob) and not is_staff_role(dave) and not is_staff_role(carol)
    assert is_staff_role(UserFactory(username="root", is_superuser=True))


def test_own_enterprise_is_the_firm_users_firm_and_nobody_elses(alice, dave, bob, firm):
    assert own_enterprise_id(alice) == firm.pk
    assert own_enterprise_id(dave) is None and own_enterprise_id(bob) is None


def test_each_roles_group_has_the_permissions_of_its_role(db):
    def perms(role):
        return set(Group.objects.get(name=GROUP_NAMES[role]).permissions.values_list("content_type__app_label",
                                                                                        "codename"))
    enterprise, town, staff, admin = (perms(r) for r in (Role.ENTERPRISE, Role.TOWN_OFFICER, Role.STAFF, Role.ADMIN))
    assert ("enterprises", "view_enterprise") in enterprise and ("enterprises", "change_enterprise") in enterprise
    assert ("enterprises", "view_userscope") not in enterprise and ("enterprises", "view_userscope") in town
    assert ("criteria", "add_claim") in enterprise and ("services", "add_servicerequest") in enterprise
    assert ("enterprises", "add_enterprise") not in town and ("enterprises", "add_enterprise") in staff
    assert ("services", "view_servicerequest") in town and ("dashboards", "change_target") not in town
    assert not any(app == "auth" for app, _c in staff) and ("auth", "change_user") in admin
    assert ("enterprises", "delete_fiscalyearrecord") in staff
