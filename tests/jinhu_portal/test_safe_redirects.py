"""A `next` parameter never sends anyone off the site: every view that reads one goes through
jinhu_portal.redirects.safe_next, and no other code reads `next` or the Referer itself."""
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from criteria.models import Declaration, Edition, Round

OUTSIDE = ["https://evil.example/", "//evil.example", "javascript:alert(1)", "\\\\evil.example",
           "/\\evil.example", " //evil.example", "https:evil.example", "http://testserver.evil.example/"]


@pytest.fixture
def declaration(published_editions, firm, bob):
    today = timezone.localdate()
    round_ = Round.objects.create(title="跳转测试批次", kind="admission", tier="county_pool", year=2025,
                                  opens_on=today - datetime.timedelta(days=1),
                                  closes_on=today + datetime.timedelta(days=10),
                                  edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)
    return Declaration.objects.create(round=round_, enterprise=firm, data={})


@pytest.fixture
def views_reading_next(declaration, alice, bob):
    """(user, url, the page the view goes to without a usable `next`) for every view that reads `next`."""
    return [
        (bob, reverse("criteria:batch_approve"), reverse("criteria:review_queue")),
        (bob, reverse("criteria:declaration_transition", args=[declaration.pk, "approve"]),
         reverse("criteria:declaration_detail", args=[declaration.pk])),
        (alice, reverse("enterprises:inbox_read"), reverse("enterprises:inbox")),
    ]


@pytest.mark.parametrize("outside", OUTSIDE)
def test_every_view_that_reads_next_refuses_an_address_off_the_site_and_follows_one_on_it(
        client, views_reading_next, outside):
    for user, url, default in views_reading_next:
        client.force_login(user)
        response = client.post(url, {"next": outside})
        assert response.status_code == 302, url
        assert response["Location"] == default, f"{url} followed next={outside!r} to {response['Location']!r}"
        response = client.post(url, {"next": "/criteria/queue/?status=submitted"})
        assert response["Location"] == "/criteria/queue/?status=submitted", url


def test_on_https_a_next_that_drops_to_plain_http_is_refused(client, views_reading_next):
    for user, url, default in views_reading_next:
        client.force_login(user)
        response = client.post(url, {"next": "http://testserver/criteria/queue/"}, secure=True)
        assert response["Location"] == default, url
        response = client.post(url, {"next": "https://testserver/criteria/queue/"}, secure=True)
        assert response["Location"] == "https://testserver/criteria/queue/", url


NEXT_OR_REFERER = re.compile(r"""\.get\(\s*["']next["']|\[\s*["']next["']\s*\]|HTTP_REFERER|["']referer["']""",
                             re.IGNORECASE)


def _project_sources():
    root = Path(settings.BASE_DIR)
    packages = [d for d in root.iterdir() if d.is_dir() and (d / "__init__.py").exists() and d.name != "tests"]
    for package in packages:
        yield from package.rglob("*.py")


def test_no_code_but_the_helper_reads_next_or_the_referer():
    helper = Path(settings.BASE_DIR) / "jinhu_portal" / "redirects.py"
    sources = list(_project_sources())
    assert any(p.parts[-3:] == ("criteria", "admission", "workflow.py") for p in sources), "the scan sees the apps"
    offenders = [f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}"
                 for path in sources if path != helper
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if NEXT_OR_REFERER.search(line)]
    assert not offenders, "读取 next 或 Referer 请改用 jinhu_portal.redirects.safe_next：\n" + "\n".join(offenders)
