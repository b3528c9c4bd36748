"""长辈模式 (issue 15 §5): the header's switch enlarges the page, remembered per user (stored, so it
follows them to another browser) and per browser for visitors (a cookie); a POST with CSRF only."""
from django.test import Client
from django.urls import reverse

from jinhu_portal.models import UserPreference

LARGE = 'class="large-text"'


def test_a_visitor_switches_it_on_and_the_cookie_keeps_it(client, db):
    page = reverse("self_assessment")
    assert LARGE not in client.get(page).content.decode()
    response = client.post(reverse("large_text"), {"on": "1", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies["large_text"].value == "1"
    html = client.get(page).content.decode()
    assert LARGE in html and "（已开启）" in html
    client.post(reverse("large_text"), {"on": "0", "next": page})
    assert LARGE not in client.get(page).content.decode()


def test_a_user_s_choice_is_stored_and_follows_them_to_another_browser(client, alice, firm):
    client.force_login(alice)
    client.post(reverse("large_text"), {"next": firm.get_absolute_url()})          # no `on`: flips it
    assert UserPreference.objects.get(user=alice).large_text is True
    assert LARGE in client.get(firm.get_absolute_url()).content.decode()
    other = Client()                                   # another browser: no cookie, the stored choice
    other.force_login(alice)
    assert LARGE in other.get(firm.get_absolute_url()).content.decode()
    other.post(reverse("large_text"), {"on": "0"})
    assert UserPreference.objects.get(user=alice).large_text is False


def test_the_switch_is_a_post_with_csrf_and_goes_back_only_to_this_site(db):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("large_text"), {"on": "1"}).status_code == 403
    assert Client().get(reverse("large_text")).status_code == 405
    response = Client().post(reverse("large_text"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("self_assessment")


def test_the_leaders_cached_dashboard_follows_the_mode(client, carol, plan_targets):
    client.force_login(carol)
    url = reverse("dashboards:overview")
    assert LARGE not in client.get(url).content.decode()
    client.get(url)                                    # the page is now in the session's cache
    client.post(reverse("large_text"), {"on": "1"})
    client.get(url)                                    # shows the switch's message: not cached
    assert LARGE in client.get(url).content.decode()
