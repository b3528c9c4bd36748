"""Self-registration, the pending list and activation, with their notices."""
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from enterprises.models import Enterprise, Notification, PoolStatus, UserScope
from jinhu_portal.roles import Role, role_of
from enterprises.services import assign_role

from ..factories import EnterpriseFactory, TownFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db
PASSWORD = "Jh-secret-2024"


def form_data(town, **overrides):
    data = {"username": "newfirm", "password1": PASSWORD, "password2": PASSWORD, "uscc": valid_uscc(42),
            "firm_name": "金湖新兴机械有限公司", "town": town.pk, "contact_person": "张三",
            "phone": "13800000000", "email": "zhang@example.com"}
    data.update(overrides)
    return data


def wrong_check_character(code):
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_register_page_is_public_and_has_csrf(client, town):
    response = client.get(reverse("enterprises:register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html and "统一社会信用代码" in html and town.name in html


def test_register_creates_inactive_user_and_new_firm(client, town, dave, bob):
    response = client.post(reverse("enterprises:register"), form_data(town))
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:register_done")
    user = User.objects.get(username="newfirm")
    assert not user.is_active and user.check_password(PASSWORD) and user.email == "zhang@example.com"
    assert role_of(user) == Role.ENTERPRISE
    firm = user.scope.enterprise
    assert (firm.uscc, firm.name, firm.town, firm.contact_person, firm.contact_phone, firm.pool_status) == (
        valid_uscc(42), "金湖新兴机械有限公司", town, "张三", "13800000000", PoolStatus.NONE)
    assert user.scope.phone == "13800000000" and user.scope.town is None
    done = client.get(response["Location"])
    assert "待" in done.content.decode() and "激活" in done.content.decode()
    assert "金湖新兴机械有限公司" in done.content.decode()


def test_register_notifies_town_officers_of_that_town_and_staff_only(client, town, other_town, dave, bob, carol):
    other_officer = assign_role(UserFactory(username="otherofficer"), Role.TOWN_OFFICER, town=other_town)
    client.post(reverse("enterprises:register"), form_data(town))
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"dave", "bob"}
    assert other_officer.notifications.count() == 0
    note = dave.notifications.get()
    assert "待激活" in note.title and note.link == reverse("enterprises:account_pending")


def test_register_uppercases_uscc(client, town):
    client.post(reverse("enterprises:register"), form_data(town, uscc=f" {valid_uscc(42).lower()} "))
    assert Enterprise.objects.filter(uscc=valid_uscc(42)).exists()


def test_second_user_binds_to_existing_firm(client, firm, alice):
    response = client.post(reverse("enterprises:register"),
                           form_data(firm.town, uscc=firm.uscc, firm_name=f" {firm.name} "))
    assert response.status_code == 302
    user = User.objects.get(username="newfirm")
    assert user.scope.enterprise == firm
    assert Enterprise.objects.filter(uscc=firm.uscc).count() == 1
    assert firm.users.count() == 2
    firm.refresh_from_db()
    assert firm.contact_person != "张三"  # an existing firm's record is not rewritten by a registration


def test_existing_firm_name_may_differ_in_bracket_width(client, town):
    firm = EnterpriseFactory(town=town, name="金湖（江苏）阀门有限公司")
    response = client.post(reverse("enterprises:register"),
                           form_data(town, uscc=firm.uscc, firm_name="金湖(江苏)阀门有限公司"))
    assert response.status_code == 302
    assert User.objects.get(username="newfirm").scope.enterprise == firm


def _rejected(client, data):
    before = (User.objects.count(), Enterprise.objects.count(), UserScope.objects.count(),
              Notification.objects.count())
    response = client.post(reverse("enterprises:register"), data)
    assert response.status_code == 200
    after = (User.objects.count(), Enterprise.objects.count(), UserScope.objects.count(),
             Notification.objects.count())
    assert after == before, "nothing may be saved"
    return response.context["form"], response.content.decode()


def test_wrong_check_character_is_rejected(client, town, dave):
    form, html = _rejected(client, form_data(town, uscc=wrong_check_character(valid_uscc(42))))
    assert "校验位" in form.errors["uscc"][0]
    assert "统一社会信用代码：" in html  # the summary names the field


def test_malformed_uscc_is_rejected(client, town):
    form, _html = _rejected(client, form_data(town, uscc="12345"))
    assert "uscc" in form.errors


def test_uscc_of_a_firm_with_another_name_is_rejected(client, firm, alice):
    form, html = _rejected(client, form_data(firm.town, uscc=firm.uscc, firm_name="另一家公司"))
    assert "联系县工信局" in form.errors["uscc"][0]
    assert firm.users.count() == 1


def test_duplicate_username_is_rejected(client, town, alice):
    form, html = _rejected(client, form_data(town, username="ALICE"))
    assert "用户名" in form.errors["username"][0] and "已被注册" in form.errors["username"][0]
    assert not Enterprise.objects.filter(uscc=valid_uscc(42)).exists()


def test_mismatched_passwords_are_rejected(client, town):
    form, html = _rejected(client, form_data(town, password2=PASSWORD + "x"))
    assert "不一致" in form.errors["password2"][0]
    assert "确认密码：" in html


@pytest.mark.parametrize("password,fragment", [("123", "太短"), ("12345678901", "全部为数字"),
                                               ("password123", "太常见"), ("newfirm2024", "相似")])
def test_django_password_validators_speak_chinese(client, town, password, fragment):
    form, _html = _rejected(client, form_data(town, password1=password, password2=password))
    assert any(fragment in e for e in form.errors["password2"]), form.errors
    assert all(not e.isascii() for e in form.errors["password2"]), form.errors


def test_required_fields(client, town):
    form, html = _rejected(client, {"username": "x"})
    for field in ("password1", "password2", "uscc", "firm_name", "town", "contact_person", "phone"):
        assert field in form.errors, field
    assert "email" not in form.errors


def test_registration_is_atomic_when_the_role_cannot_be_assigned(client, town, monkeypatch):
    import enterprises.forms_accounts as forms_accounts

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(forms_accounts, "assign_role", boom)
    with pytest.raises(RuntimeError):
        client.post(reverse("enterprises:register"), form_data(town))
    assert not User.objects.filter(username="newfirm").exists()
    assert not Enterprise.objects.filter(uscc=valid_uscc(42)).exists()


def test_inactive_user_cannot_log_in_until_activated(client, town, dave):
    client.post(reverse("enterprises:register"), form_data(town))
    assert not client.login(username="newfirm", password=PASSWORD)
    client.force_login(dave)
    user = User.objects.get(username="newfirm")
    client.post(reverse("enterprises:account_activate", args=[user.pk]))
    client.logout()
    assert client.login(username="newfirm", password=PASSWORD)


# --- pending list and activation -------------------------------------------------------------

@pytest.fixture
def pending(town, other_town):
    """One inactive enterprise account in `town`, one in `other_town`."""
    here = assign_role(UserFactory(username="pendinghere", is_active=False), Role.ENTERPRISE,
                       enterprise=EnterpriseFactory(town=town, name="甲镇待激活企业"))
    there = assign_role(UserFactory(username="pendingthere", is_active=False), Role.ENTERPRISE,
                        enterprise=EnterpriseFactory(town=other_town, name="乙镇待激活企业"))
    return here, there


def test_town_officer_sees_only_pending_accounts_of_its_town(client, dave, pending, alice):
    client.force_login(dave)
    response = client.get(reverse("enterprises:account_pending"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲镇待激活企业" in html and "乙镇待激活企业" not in html
    assert [u.username for u in response.context["accounts"]] == ["pendinghere"]


@pytest.mark.parametrize("who", ["bob", "root"])
def test_staff_and_admin_see_all_pending_accounts(client, request, pending, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("enterprises:account_pending"))
    assert {u.username for u in response.context["accounts"]} == {"pendinghere", "pendingthere"}


def test_inactive_users_of_other_roles_are_not_listed(client, bob, pending, town):
    assign_role(UserFactory(username="sleepyofficer", is_active=False), Role.TOWN_OFFICER, town=town)
    client.force_login(bob)
    names = {u.username for u in client.get(reverse("enterprises:account_pending")).context["accounts"]}
    assert "sleepyofficer" not in names


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_others_may_not_see_or_activate(client, request, pending, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("enterprises:account_pending")).status_code == 403
    assert client.post(reverse("enterprises:account_activate", args=[pending[0].pk])).status_code == 403
    pending[0].refresh_from_db()
    assert not pending[0].is_active


def test_anonymous_is_sent_to_login(client, pending):
    for url in (reverse("enterprises:account_pending"),
                reverse("enterprises:account_activate", args=[pending[0].pk])):
        response = client.post(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_town_officer_activates_an_account_and_the_user_is_told(client, dave, pending):
    here = pending[0]
    here.email = "here@example.com"
    here.save()
    client.force_login(dave)
    response = client.post(reverse("enterprises:account_activate", args=[here.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:account_pending")
    here.refresh_from_db()
    assert here.is_active
    note = here.notifications.get()
    assert "激活" in note.title and note.link == reverse("enterprises:mine")
    assert mail.outbox[-1].to == ["here@example.com"]
    # it no longer pends; activating again is a 404
    assert client.post(reverse("enterprises:account_activate", args=[here.pk])).status_code == 404


def test_activation_outside_scope_is_404(client, dave, pending, alice, bob):
    client.force_login(dave)
    there = pending[1]
    assert client.post(reverse("enterprises:account_activate", args=[there.pk])).status_code == 404
    # active users and non-enterprise users are not activatable either
    assert client.post(reverse("enterprises:account_activate", args=[alice.pk])).status_code == 404
    assert client.post(reverse("enterprises:account_activate", args=[bob.pk])).status_code == 404
    there.refresh_from_db()
    assert not there.is_active


def test_activate_requires_post(client, bob, pending):
    client.force_login(bob)
    assert client.get(reverse("enterprises:account_activate", args=[pending[0].pk])).status_code == 405


def test_town_officer_without_a_town_sees_nothing(client, pending):
    lost = assign_role(UserFactory(username="lost"), Role.TOWN_OFFICER)
    client.force_login(lost)
    assert list(client.get(reverse("enterprises:account_pending")).context["accounts"]) == []


def test_activation_is_csrf_protected(pending, bob):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(bob)
    assert strict.post(reverse("enterprises:account_activate", args=[pending[0].pk])).status_code == 403
    pending[0].refresh_from_db()
    assert not pending[0].is_active


def test_registration_is_csrf_protected(town):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("enterprises:register"), form_data(town)).status_code == 403
    assert not User.objects.filter(username="newfirm").exists()


def test_towns_in_the_select_are_all_towns(client):
    TownFactory(name="丙街道", code="C001")
    assert "丙街道" in client.get(reverse("enterprises:register")).content.decode()


# --- the permission matrix rows for these pages (GET, as tests/jinhu_portal/test_permission_matrix.py does) ---

ROLES = ["anon", "alice", "dave", "bob", "carol", "erin", "root"]
LOGIN = "login"
MATRIX = [
    ("enterprises:register", False, [200] * 7),
    ("enterprises:register_done", False, [200] * 7),
    ("enterprises:account_pending", False, [LOGIN, 403, 200, 200, 403, 403, 200]),
    ("enterprises:account_activate", True, [LOGIN, 403, 405, 405, 403, 403, 405]),
    ("enterprises:inbox", False, [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("enterprises:inbox_read", False, [LOGIN, 405, 405, 405, 405, 405, 405]),
]
CASES = [(name, needs_pk, role, expected) for name, needs_pk, row in MATRIX for role, expected in zip(ROLES, row)]


@pytest.mark.parametrize("name,needs_pk,role,expected", CASES, ids=[f"{n}-{r}" for n, _, r, _ in CASES])
def test_matrix(client, request, pending, name, needs_pk, role, expected):
    if role != "anon":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name, args=[pending[0].pk] if needs_pk else None))
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("login") in response["Location"]
    else:
        assert response.status_code == expected
