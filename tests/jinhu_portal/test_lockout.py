"""Login lockout (django-axes): five failed logins for one user from one address lock that pair out
for the cool-off period, on the login page and on the API's Basic auth alike; staff unlock."""
import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "pw-123456"          # UserFactory's
LOCKED = "登录失败次数过多"


@pytest.fixture
def frank(db):
    return UserFactory(username="frank")


@pytest.fixture
def grace(db):
    return UserFactory(username="grace")


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, **extra):
    return [login(client, username, "wrong-password", **extra).status_code for _ in range(times)]


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_lockout_takes_five_failures_for_one_user_and_address_and_lasts_thirty_minutes():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_ENABLED
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_after_five_wrong_passwords_even_the_right_one_is_refused_in_chinese(client, frank):
    assert fail(client, "frank", 4) == [200, 200, 200, 200]
    fifth = login(client, "frank", "wrong-password")
    assert fifth.status_code == 429
    response = login(client, "frank", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "30 分钟后再试" in html and "联系县工信局系统管理员" in html
    assert 'id="id_password"' not in html
    assert not logged_in(client)


def test_four_wrong_passwords_still_let_the_right_one_in_and_a_success_starts_the_count_again(client, frank):
    fail(client, "frank", 4)
    assert login(client, "frank", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "frank", 4) == [200, 200, 200, 200]
    assert login(client, "frank", PASSWORD).status_code == 302


def test_another_user_from_the_same_address_is_unaffected(client, frank, grace):
    fail(client, "frank", 5)
    assert login(client, "grace", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_same_user_from_another_address_is_unaffected(client, frank):
    fail(client, "frank", 5)
    assert login(client, "frank", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_lockout(client, frank):
    for i in range(5):
        login(client, "frank", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    response = login(client, "frank", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_the_lock_lifts_after_the_cool_off(client, frank):
    fail(client, "frank", 5)
    assert login(client, "frank", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert login(client, "frank", PASSWORD).status_code == 302


def test_reset_unlocks_the_user(client, frank):
    fail(client, "frank", 5)
    assert reset(username="frank") == 1
    assert login(client, "frank", PASSWORD).status_code == 302


def test_the_administrator_sees_the_lock_and_unlocks_it_in_the_admin(client, frank, root):
    locked_client = client
    fail(locked_client, "frank", 5)
    attempt = AccessAttempt.objects.get(username="frank")

    from django.test import Client

    admin = Client()
    admin.force_login(root)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "frank" in changelist.content.decode()
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert login(locked_client, "frank", PASSWORD).status_code == 302


def test_staff_without_the_admin_site_cannot_unlock(client, frank, bob):
    fail(client, "frank", 5)
    client.force_login(bob)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# --- the API's Basic auth ----------------------------------------------------------------------

def test_wrong_basic_auth_passwords_count_and_lock_the_api_too(client, bob):
    url = reverse("api:enterprise-list")
    statuses = [client.get(url, **basic("bob", "wrong-password")).status_code for _ in range(5)]
    assert statuses[:4] == [403, 403, 403, 403]
    assert statuses[4] == 429
    response = client.get(url, **basic("bob", PASSWORD))
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"] and "30分钟" in response.json()["detail"]
    assert response["Retry-After"] == str(30 * 60)
    assert AccessAttempt.objects.get(username="bob").failures_since_start == 6


def test_basic_auth_works_for_the_right_password_and_for_another_user_when_one_is_locked(client, bob, carol):
    url = reverse("api:enterprise-list")
    assert client.get(url, **basic("bob", PASSWORD)).status_code == 200
    for _ in range(5):
        client.get(url, **basic("bob", "wrong-password"))
    assert client.get(url, **basic("carol", PASSWORD)).status_code == 200
    reset(username="bob")
    assert client.get(url, **basic("bob", PASSWORD)).status_code == 200


def test_a_lockout_on_the_login_page_also_locks_basic_auth(client, bob):
    fail(client, "bob", 5)
    assert client.get(reverse("api:enterprise-list"), **basic("bob", PASSWORD)).status_code == 429
