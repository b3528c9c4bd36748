import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboards.demo import DEMO_PASSWORD, DEMO_USERS
from enterprises.models import Enterprise, FiscalYearRecord, Town


@pytest.fixture
def demo(shared_demo):
    """Every test here reads the demo (seeded once for the module) and changes it only in its own transaction."""


def test_demo_builds_about_160_firms_over_every_town_with_four_years(demo):
    firms = Enterprise.objects.count()
    assert 150 <= firms <= 170
    assert FiscalYearRecord.objects.count() == firms * 4
    assert all(t.enterprises.exists() for t in Town.objects.all())


def test_demo_is_deterministic(demo):
    first = list(Enterprise.objects.order_by("uscc").values_list("uscc", "name"))
    revenues = list(FiscalYearRecord.objects.order_by("enterprise__uscc", "year").values_list("operating_revenue", flat=True))
    from django.contrib.auth import get_user_model

    from criteria.models import RecommendationList

    # an empty database again: recommendation lists belong to no firm, so they go separately
    Enterprise.objects.all().delete()
    RecommendationList.objects.all().delete()

    get_user_model().objects.all().delete()
    call_command("seed_demo", verbosity=0)
    assert list(Enterprise.objects.order_by("uscc").values_list("uscc", "name")) == first
    assert list(FiscalYearRecord.objects.order_by("enterprise__uscc", "year")
                .values_list("operating_revenue", flat=True)) == revenues


def test_demo_refuses_a_database_that_already_has_firms(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)  # make run's form: quietly skips


def test_most_demo_firms_are_small(demo):
    last = FiscalYearRecord.objects.filter(year=2025)
    assert last.filter(operating_revenue__lt=2000).count() > last.count() / 2
    assert last.filter(operating_revenue__gte=10000).exists()


def test_every_demo_login_reaches_its_home_page(client, demo):
    # one demo for every login: seeding it costs more than the six logins together
    for username, _role in DEMO_USERS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        response = client.get(reverse("home"), follow=True)
        assert response.status_code == 200, username
        assert "金湖县专精特新企业培育服务平台" in response.content.decode()
        client.logout()


def test_the_demo_gives_every_target_a_figure_a_trend_and_a_bulletin_quarter(client, demo, tmp_path):
    """What `make run` shows leaders: the 2024 dashboard, a drill-down as long as its figure, and the
    2024Q4 bulletin as page, PDF and XLSX, each naming every target."""
    from django.contrib.auth import get_user_model

    from dashboards import services
    from dashboards.models import PlanPeriod
    from tests.dashboards.test_bulletin import pdf_text, xlsx_text

    leader = get_user_model().objects.get(username="leader")
    period = PlanPeriod.objects.get(code="2022-2024")
    rows = services.progress(period, 2024, leader)
    assert len(rows) == 18
    assert sum(1 for r in rows if r["figure"] > 0) == 18, [r["code"] for r in rows if not r["figure"]]
    assert {r["state"] for r in rows} >= {"below", "within"}
    assert any(r["change"] for r in rows)
    client.force_login(leader)
    city = next(r for r in rows if r["code"] == "new_city_giants")
    page = client.get(reverse("dashboards:target_rows", args=["new_city_giants"]), {"year": 2024})
    assert page.status_code == 200 and page.context["page"].paginator.count == city["figure"]
    names = [r["target"].name for r in rows]
    html = client.get(reverse("dashboards:bulletin", args=[2024, 4])).content.decode()
    cells = xlsx_text(client.get(reverse("dashboards:bulletin_xlsx", args=[2024, 4])).content)
    text = pdf_text(client.get(reverse("dashboards:bulletin_pdf", args=[2024, 4])).content, tmp_path)
    squeezed = "".join(text.split())
    for name in names:
        assert name in html and name in cells and "".join(name[:10].split()) in squeezed


def test_the_demo_has_firms_passing_by_score_and_by_a_direct_route_short_by_one_minimum_and_incomplete(demo):
    """创新型中小企业, the scored tier: every kind of result the firm page and the ranking explain."""
    from criteria.models import Edition, TierOutcome
    from criteria.views.results import scored_ranking

    outcomes = TierOutcome.objects.filter(tier="innovative_sme", is_latest=True)
    assert outcomes.filter(verdict="eligible", route="score").exists()
    direct = outcomes.filter(verdict="eligible", route="direct")
    assert direct.filter(enterprise__recognitions__kind="science_award").exists()
    assert direct.filter(enterprise__recognitions__kind="ip_advantage").exists()
    assert outcomes.filter(verdict="incomplete", score_sure__lt=60, score_best__gte=60).exists()
    edition = Edition.objects.get(tier="innovative_sme", status="published")
    ranked, dims = scored_ranking(outcomes.filter(verdict="not_eligible", score_sure__gte=60), edition)
    short_by_one = [o for o in ranked
                    if sum(getattr(o, f"dim_{code}") < minimum for code, _name, minimum in dims) == 1]
    assert short_by_one, "a firm over the pass mark but short of one dimension's minimum"
