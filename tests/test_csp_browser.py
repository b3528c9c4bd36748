"""Every page under the enforced Content-Security-Policy in Chromium (issue 8 §4): staff, a firm user
and a leader (and the administrator in 管理后台) visit every page the URLconf reaches without arguments
and the main detail pages of the demo data, with htmx panels, charts and forms exercised; the browser
reports no CSP violation (console or `securitypolicyviolation` event) and no script error."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import expect

from criteria.admission.declaring import initial_data
from criteria.models import Criterion, Declaration, Edition, Round, Status
from dashboards.demo import DEMO_PASSWORD
from enterprises.models import Enterprise, PoolStatus, Recognition
from enterprises.services import assign_role
from jinhu_portal.roles import Role

from .test_accessibility_browser import COUNT_HTMX, settle
from .test_browser import login

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || "inline"} `
    + `(${e.sourceFile || "?"}:${e.lineNumber}) ${e.sample || ""}`);
});
"""

# Addresses that download a file, answer POST only, or belong to the API rather than to people.
NOT_PAGES = ("logout", "export", "template", "commit", "inbox_read", "batch_approve", "dossiers_zip", "large_text")


def argless_pages():
    """Every named page the URLconf reaches without arguments (new pages are picked up by themselves)."""
    names = []

    def walk(resolver, namespace=None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                walk(entry, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.append(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver())
    urls = []
    for name in names:
        if name.startswith(("admin:", "api")) or name == "schema" or any(word in name for word in NOT_PAGES):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if not url.endswith((".xlsx", ".zip", ".pdf")) and url not in urls:
            urls.append(url)
    return urls


class Watch:
    """Collects what the browser refuses, page by page."""

    def __init__(self, page, live_server):
        self.page, self.base, self.problems, self.pending = page, live_server.url, [], []
        page.add_init_script(LISTEN)
        page.add_init_script(COUNT_HTMX)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.pending.append(f"script error: {error}"))
        page.on("dialog", lambda dialog: dialog.dismiss())      # data-confirm: answer "cancel"

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or "Permissions-Policy" in text:
            self.pending.append(f"console: {text}")

    def visit(self, url):
        response = self.page.goto(self.base + url)
        settle(self.page)                  # the htmx panels are in (charts draw as their scripts run)
        self.check(url)
        return response

    def check(self, where):
        found = self.page.evaluate("window.__cspViolations || []") + self.pending
        self.pending = []
        self.page.evaluate("window.__cspViolations = []")
        self.problems += [f"{where}: {x}" for x in found]

    def assert_clean(self):
        assert not self.problems, "The Content-Security-Policy refused:\n" + "\n".join(self.problems)


def hover_chart(watch, selector, where):
    chart = watch.page.locator(selector).first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas").first).to_be_visible()
    box = chart.bounding_box()
    watch.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    watch.page.wait_for_timeout(400)                            # the tooltip shows
    watch.check(where + " (chart tooltip)")


@pytest.fixture
def world(demo):
    """The demo, plus what it does not make: a draft edition, a draft declaration with a firm user, a
    cultivation plan with progress to chart, recommendation lists (when those features exist)."""
    User = get_user_model()
    staff = User.objects.get(username="staff")
    draft = Edition.objects.get(tier="county_pool", status="published").clone(2026, user=staff)
    admission = Round.objects.filter(kind="admission").order_by("-pk").first()
    firm = Enterprise.objects.exclude(pool_status=PoolStatus.IN_POOL).filter(
        fiscal_years__isnull=False).exclude(declarations__round=admission).distinct().first()
    declarant = assign_role(User.objects.create_user("declarant", password=DEMO_PASSWORD), Role.ENTERPRISE,
                            enterprise=firm)
    declaration = Declaration.objects.create(round=admission, enterprise=firm, data=initial_data(firm, admission),
                                             created_by=declarant)
    shown = User.objects.get(username="firm").scope.enterprise
    plan = recommendation = None
    try:
        from criteria.admission import plans
    except ImportError:
        plans = None
    if plans:
        from criteria.admission.models import CultivationPlan, PlanProgress

        plan = CultivationPlan.objects.filter(enterprise=shown, status="active").first() \
            or plans.generate_plan(shown, "city_giant", user=staff)
        for days, done in ((60, 0), (30, 1)):       # two points, so the page draws its chart
            PlanProgress.objects.create(plan=plan, evaluated_at=timezone.now() - datetime.timedelta(days=days),
                                        year=2025, met=60, missed=3 - done, open=2, items_done=done, items_total=5)
    try:
        from criteria.admission import recommendation as lists
    except ImportError:
        lists = None
    if lists:
        from criteria.admission.models import RecommendationList

        if not RecommendationList.objects.exists():
            lists.generate("city_giant", 2025, user=staff)
        recommendation = list(RecommendationList.objects.all())
    return {"staff": staff, "draft": draft, "declaration": declaration, "shown": shown, "plan": plan,
            "recommendation": recommendation, "admission": admission}


def test_staff_pages_break_no_rule_of_the_policy(page, live_server, world, tmp_path):
    watch = Watch(page, live_server)
    login(page, live_server, "staff", DEMO_PASSWORD)
    for url in argless_pages():
        watch.visit(url)

    firm = world["shown"]
    watch.visit(firm.get_absolute_url())
    expect(page.locator("#criteria-panel table").first).to_be_visible()      # htmx swapped the panels in
    for url in (reverse("enterprises:update", args=[firm.pk]),
                reverse("enterprises:fiscal_year_update", args=[firm.pk, firm.fiscal_years.order_by("-year")[0].year]),
                reverse("enterprises:fiscal_year_create", args=[firm.pk]),
                reverse("criteria:enterprise_results", args=[firm.pk]),
                reverse("criteria:judgment_create", args=[firm.pk]) + "?tier=county_pool&code=J1&year=2025"):
        watch.visit(url)

    published = Edition.objects.filter(status="published").first()
    draft = world["draft"]
    watch.visit(reverse("criteria:edition_detail", args=[published.pk]))
    watch.visit(reverse("criteria:edition_detail", args=[draft.pk]))
    page.get_by_role("button", name="发布").click()                    # data-confirm, answered "cancel"
    expect(page.get_by_role("button", name="发布")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "draft"
    watch.check("publish, cancelled")
    watch.visit(reverse("criteria:edition_whatif", args=[draft.pk]))
    criterion = Criterion.objects.filter(edition=draft, conditions__isnull=False).first()
    watch.visit(reverse("criteria:criterion_edit", args=[criterion.pk]))
    page.locator("#add-condition").click()
    page.locator(".condition").last.locator('select[name$="-metric"]').select_option(index=1)
    watch.check("criterion form, condition added")
    watch.visit(reverse("criteria:criterion_create", args=[draft.pk]))

    admission = world["admission"]
    watch.visit(reverse("criteria:round_detail", args=[admission.pk]))
    closed = Round.objects.filter(kind="data_update").first()
    watch.visit(reverse("criteria:round_detail", args=[closed.pk]))
    watch.visit(reverse("criteria:verification_list", args=[closed.pk]))
    submitted = Declaration.objects.filter(status=Status.SUBMITTED).first()
    watch.visit(reverse("criteria:declaration_detail", args=[submitted.pk]))    # the review page
    watch.visit(reverse("criteria:declaration_score", args=[submitted.pk]))

    watch.visit(reverse("dossier", args=[firm.pk]))
    if page.locator(".dossier-chart").count():
        hover_chart(watch, ".dossier-chart", "dossier")

    plan = world["plan"]
    if plan:
        watch.visit(reverse("criteria:plan_detail", args=[plan.pk]))
        if page.locator("#plan-progress-chart").count():
            hover_chart(watch, "#plan-progress-chart", "plan")
        edit = page.locator("#plan-items").get_by_role("link", name="编辑").first
        if edit.count():
            edit.click()                                              # htmx loads the item form
            close = page.locator(".plan-item-form .btn-close").first
            expect(close).to_be_visible()
            close.click()                                             # data-remove-closest
            expect(page.locator(".plan-item-form")).to_have_count(0)
        page.get_by_role("button", name="结束计划").click()            # data-confirm on the form
        plan.refresh_from_db()
        assert plan.status == "active"
        watch.check("plan, edit and close cancelled")
        watch.visit(reverse("criteria:enterprise_plans", args=[firm.pk]))
    for recommendation in world["recommendation"] or ():
        watch.visit(reverse("criteria:recommendation_detail", args=[recommendation.pk]))
        watch.visit(reverse("criteria:recommendation_print", args=[recommendation.pk]))
    recognition = Recognition.objects.first()
    watch.visit(reverse("enterprises:recognition_update", args=[recognition.pk]))
    for name in ("enterprises:history",):          # pages being added: visited once they exist
        try:
            watch.visit(reverse(name, args=[firm.pk]))
        except NoReverseMatch:
            pass

    # the import previews, from each blank template (the preview says there are no rows)
    from enterprises import importing, recognitions

    for url, workbook in ((reverse("enterprises:fiscal_year_import"), importing.template_bytes()),
                          (reverse("enterprises:recognition_import"), recognitions.template_bytes())):
        path = tmp_path / "blank.xlsx"
        path.write_bytes(workbook)
        watch.visit(url)
        page.locator("main input[type=file]").set_input_files(str(path))
        page.get_by_role("button", name="上传并预览").click()
        page.wait_for_load_state("networkidle")
        watch.check(url + " preview")
    watch.assert_clean()


def test_a_firm_user_declares_and_assesses_itself_under_the_policy(page, live_server, world):
    watch = Watch(page, live_server)
    login(page, live_server, "declarant", DEMO_PASSWORD)
    watch.check("login")
    declaration = world["declaration"]
    for step in ("basic", "financials", "products", "records", "claims", "attachments", "submit"):
        watch.visit(reverse("criteria:declaration_step", args=[declaration.pk, step]))
        expect(page.locator("#score-panel table, #score-panel .list-group, #score-panel p").first).to_be_visible()
        for button in page.locator("button.add-row").all()[:2]:
            button.click()                                            # a row from the empty form
        watch.check(f"declaration step {step}, rows added")
    for url in argless_pages():
        watch.visit(url)

    logout_and_login(page, live_server, "firm")
    watch.check("login")
    for url in argless_pages():
        watch.visit(url)
    firm = world["shown"]
    watch.visit(firm.get_absolute_url())
    if world["plan"]:
        watch.visit(reverse("criteria:plan_detail", args=[world["plan"].pk]))
    watch.visit(reverse("dossier", args=[firm.pk]))

    # the self-assessment page with an answer, sent by htmx (its indicator styles come from portal.css)
    watch.visit(reverse("self_assessment"))
    page.locator("#id_assessment_year").fill("2025")
    page.locator("#financials-table input").first.fill("3200")
    page.get_by_role("button", name="开始评估").click()
    expect(page.locator("#assessment-results table").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    watch.check("self-assessment answered")
    watch.assert_clean()


def logout_and_login(page, live_server, username):
    page.get_by_role("button", name="退出").click()
    login(page, live_server, username, DEMO_PASSWORD)


def test_a_visitor_a_leader_and_the_admin_see_pages_that_break_no_rule(page, live_server, world):
    watch = Watch(page, live_server)
    for url in (reverse("login"), reverse("self_assessment"), reverse("enterprises:register"), "/no-such-page/"):
        watch.visit(url)
    watch.visit(reverse("api-docs"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("金湖")     # Swagger UI ran
    page.wait_for_load_state("networkidle")
    watch.check("API docs, rendered")

    login(page, live_server, "leader", DEMO_PASSWORD)
    watch.check("login")
    for url in argless_pages():
        watch.visit(url)
    firm = world["shown"]
    watch.visit(firm.get_absolute_url())
    watch.visit(reverse("dossier", args=[firm.pk]))

    # 管理后台, as the administrator
    logout_and_login(page, live_server, "admin")
    watch.check("login")
    for url in (reverse("admin:index"), reverse("admin:enterprises_enterprise_changelist"),
                reverse("admin:enterprises_enterprise_changelist") + "?q=金湖",
                reverse("admin:enterprises_enterprise_change", args=[firm.pk]),
                reverse("admin:enterprises_enterprise_add"),
                reverse("admin:enterprises_enterprise_history", args=[firm.pk]),
                reverse("admin:enterprises_fiscalyearrecord_changelist"),
                reverse("admin:auth_user_changelist"), reverse("admin:auth_user_add"),
                reverse("admin:auth_group_changelist"), reverse("admin:axes_accessattempt_changelist"),
                reverse("admin:enterprises_town_changelist")):
        watch.visit(url)
    watch.visit(reverse("admin:enterprises_enterprise_change", args=[firm.pk]))
    calendar = page.locator(".datetimeshortcuts a[id^=calendarlink]:visible").first
    if calendar.count():
        calendar.click()                                              # admin's date widget
        expect(page.locator(".calendarbox:visible")).to_have_count(1)
        watch.check("admin calendar")
    watch.assert_clean()
