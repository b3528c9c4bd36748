"""Error pages speak Chinese and show a way back, never Django's English defaults (DEBUG is off in tests)."""
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "Page not found",
           "No Enterprise matches")


def _assert_chinese_page(html, heading):
    assert heading in html
    assert "返回首页" in html and f'href="{reverse("home")}"' in html
    for words in ENGLISH:
        assert words not in html


def test_debug_is_off_so_the_error_templates_are_used():
    assert settings.DEBUG is False


def test_a_missing_firm_shows_the_chinese_404_page(client, bob):
    client.force_login(bob)
    response = client.get(reverse("enterprises:detail", args=[999999]))
    assert response.status_code == 404
    _assert_chinese_page(response.content.decode(), "页面不存在")


def test_a_firm_outside_ones_scope_shows_the_same_404_page(client, alice, other_firm):
    client.force_login(alice)
    response = client.get(other_firm.get_absolute_url())
    assert response.status_code == 404
    html = response.content.decode()
    _assert_chinese_page(html, "页面不存在")
    assert other_firm.name not in html


def test_an_unknown_address_shows_the_404_page_with_a_login_link_to_a_visitor(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_chinese_page(html, "页面不存在")
    assert "登录" in html


def test_a_forbidden_page_shows_the_chinese_403_page_with_ones_role(client, carol):
    client.force_login(carol)           # a leader reads everything and writes nothing
    response = client.get(reverse("enterprises:create"))
    assert response.status_code == 403
    html = response.content.decode()
    _assert_chinese_page(html, "无权访问")
    assert "当前身份：县领导" in html


def test_a_form_posted_without_its_csrf_token_shows_the_chinese_expired_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    _assert_chinese_page(html, "页面已过期，请重新提交")
    assert "重新登录" in html


def test_a_server_error_shows_the_chinese_500_page_without_touching_the_database():
    request = RequestFactory().get("/")
    response = server_error(request)     # rendered without a request context, as Django does
    assert response.status_code == 500
    _assert_chinese_page(response.content.decode(), "系统出错")
