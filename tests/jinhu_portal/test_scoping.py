"""The scoping helpers on their own (fast; the permission matrix covers the views): what each role
reaches through `visible_to`, which role a user acts in, and what each role's group may do."""
import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from criteria.admission.declaring import admit
from criteria.models import PoolMembership
from enterprises.models import Enterprise, FiscalYearRecord
from enterprises.services import assign_role
from jinhu_portal.roles import GROUP_NAMES, Role, ensure_roles, is_staff_role, own_enterprise_id, role_context, role_of

from ..conftest import _user
from ..factories import FiscalYearFactory, UserFactory


@pytest.fixture
def records(firm, other_firm):
    # the other firm's records first and more of them, so that no record's number is its firm's number
    for year in (2020, 2021, 2022, 2023):
        FiscalYearFactory(enterprise=other_firm, year=year)
    FiscalYearFactory(enterprise=firm, year=2023)
    admit(other_firm)
    admit(firm)


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
    assert sorted(set(names(FiscalYearRecord.objects.visible_to(user)))) == ["乙镇示范企业", "甲镇示范企业"]
    assert FiscalYearRecord.objects.visible_to(user).count() == 5


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


# Who may do what, per role and app (one model of each app stands for the app): the role table of
# the README's "Roles" section. "view" alone for reading roles; every action for staff and admins.
ACTIONS = ("view", "add", "change", "delete")
MODEL_OF = {"enterprises": "fiscalyearrecord", "criteria": "tieroutcome", "services": "visit",
            "dashboards": "target", "auth": "user"}
READ = ("view",)
MAY = {
    Role.ENTERPRISE: {"enterprises": READ, "criteria": READ, "services": (), "dashboards": (), "auth": ()},
    Role.TOWN_OFFICER: {"enterprises": READ, "criteria": READ, "services": READ, "dashboards": READ, "auth": ()},
    Role.MEMBER_UNIT: {"enterprises": READ, "criteria": READ, "services": READ, "dashboards": READ, "auth": ()},
    Role.LEADER: {"enterprises": READ, "criteria": READ, "services": READ, "dashboards": READ, "auth": ()},
    Role.STAFF: {"enterprises": ACTIONS, "criteria": ACTIONS, "services": ACTIONS, "dashboards": ACTIONS, "auth": ()},
    Role.ADMIN: {app: ACTIONS for app in MODEL_OF},
}
# A firm's user beyond reading: its own descriptive fields, its claims, its requests (诉求) with their
# history; never the table of who reaches what.
FIRM_EXTRAS = {"enterprises.change_enterprise": True, "criteria.add_claim": True, "criteria.delete_claim": True,
               "criteria.change_claim": False, "services.view_servicerequest": True,
               "services.add_servicerequest": True, "services.change_servicerequest": False,
               "services.view_requestevent": True, "services.view_requestattachment": True,
               "enterprises.view_userscope": False, "enterprises.add_enterprise": False}


def _perms(role):
    return {f"{app}.{code}" for app, code in Group.objects.get(name=GROUP_NAMES[role]).permissions.values_list(
        "content_type__app_label", "codename")}


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_group_may_do_exactly_what_the_role_table_says(db, role):
    ensure_roles()                    # what every migrate runs: the groups as the table says, refreshed
    perms = _perms(role)
    for app, model in MODEL_OF.items():
        for action in ACTIONS:
            assert (f"{app}.{action}_{model}" in perms) == (action in MAY[role][app]), (role, app, action)
    # "every model of the app": an action granted on an app is granted on each of its models
    for app, actions in MAY[role].items():
        for code in Permission.objects.filter(content_type__app_label=app).values_list("codename", flat=True):
            action, _sep, model = code.partition("_")
            if action in actions and not (role == Role.ENTERPRISE and model == "userscope"):
                assert f"{app}.{code}" in perms, (role, code)
    if role == Role.ENTERPRISE:
        assert {p: p in perms for p in FIRM_EXTRAS} == FIRM_EXTRAS
    else:
        assert ("enterprises.view_userscope" in perms) == ("view" in MAY[role]["enterprises"])


@pytest.mark.parametrize("role, label", [
    (Role.ENTERPRISE, "企业用户"), (Role.TOWN_OFFICER, "乡镇（街道、开发区）专员"), (Role.STAFF, "县工信局工作人员"),
    (Role.MEMBER_UNIT, "成员单位联络员"), (Role.LEADER, "县领导"), (Role.ADMIN, "系统管理员")])
def test_the_header_names_the_users_role_in_chinese(client, firm, town, role, label):
    scope = {Role.ENTERPRISE: {"enterprise": firm}, Role.TOWN_OFFICER: {"town": town},
             Role.MEMBER_UNIT: {"member_unit": "keji"}}.get(role, {})
    user = _user("header", role, **scope)
    assert GROUP_NAMES[role] == label
    client.force_login(user)
    page = client.get("/", follow=True).content.decode()
    assert f'<span class="user-role">{label} · </span>' in page


def test_a_user_whose_role_was_taken_away_reaches_nothing_though_the_scope_still_names_a_town_or_firm(
        records, town, firm):
    for name, scope in (("was-town", {"town": town}), ("was-firm", {"enterprise": firm})):
        user = _user(name, Role.TOWN_OFFICER if "town" in scope else Role.ENTERPRISE, **scope)
        user.groups.clear()
        user.__dict__.pop("_portal_role", None)
        assert role_of(user) is None
        assert not Enterprise.objects.visible_to(user).exists()
        assert not FiscalYearRecord.objects.visible_to(user).exists()


def test_a_firm_user_whose_scope_also_names_a_town_reaches_its_own_firm_only(records, town, firm, other_firm):
    user = _user("firm-and-town", Role.ENTERPRISE, enterprise=other_firm, town=town)
    assert names(Enterprise.objects.visible_to(user), "name") == ["乙镇示范企业"]


def test_a_users_role_is_looked_up_once_per_request_even_when_it_has_none(db, town, django_assert_num_queries):
    officer, plain = _user("cached", Role.TOWN_OFFICER, town=town), UserFactory(username="no-role")
    assert role_of(officer) == Role.TOWN_OFFICER and role_of(plain) is None
    with django_assert_num_queries(0):
        assert role_of(officer) == Role.TOWN_OFFICER and role_of(plain) is None
    assert role_of(None) is None


def test_only_a_firm_user_has_an_own_firm_whatever_its_scope_names(db, firm):
    promoted = _user("promoted", Role.STAFF, enterprise=firm)          # a firm's user now working as staff
    assert own_enterprise_id(promoted) is None
    scopeless = assign_role(UserFactory(username="scopeless"), Role.ENTERPRISE)
    scopeless.scope.delete()
    scopeless = type(scopeless).objects.get(pk=scopeless.pk)
    assert own_enterprise_id(scopeless) is None


def test_every_page_is_told_the_users_role_its_chinese_name_and_whether_it_is_staff(db, rf, bob, alice):
    request = rf.get("/")
    request.user = bob
    assert role_context(request) == {"portal_role": Role.STAFF, "portal_role_label": "县工信局工作人员",
                                     "is_staff_role": True, "Role": Role}
    request.user = alice
    assert role_context(request) == {"portal_role": Role.ENTERPRISE, "portal_role_label": "企业用户",
                                     "is_staff_role": False, "Role": Role}
    request.user = AnonymousUser()
    assert role_context(request) == {"portal_role": None, "portal_role_label": "", "is_staff_role": False,
                                     "Role": Role}
