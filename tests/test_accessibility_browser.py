"""WCAG 2.1 A/AA (GB/T 37668-2019) checked by axe-core in Chromium (issue 15): for every role, every
page of the permission matrix that the role may open (a 200), in the matrix's own world of objects.

One browser context per role, one visit per distinct address; axe-core (static/vendor/axe/, vendored
from npm) is added to each page from the portal's own /static/, as the Content-Security-Policy allows
no inline script. A failure names the page, the rule and the elements. Parametrized by role, so
`pytest -n 2` spreads the roles over workers. What each role's walk found is also written to
var/axe/<role>.txt."""
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from .jinhu_portal.test_permission_matrix import MATRIX, OK, ROLES, world  # noqa: F401  (world: the fixture)
from .test_browser import login

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}  ${n.html.slice(0, 140)}`
      + (n.any.length && n.any[0].message ? `  [${n.any[0].message}]` : "")),
  }));
}"""
# Machine-facing answers the walk leaves out (the API, its schema and its Swagger page): only pages
# people read are checked; anything that is not HTML (XLSX, PDF, ZIP, pictures) is skipped by type.
NOT_PAGES = ("api", "schema")


def pages_for(role, args):
    """The distinct addresses of the matrix a role opens with a 200."""
    column = ROLES.index(role)
    urls = []
    for name, key, expected in MATRIX:
        if expected[column] != OK or name.startswith(NOT_PAGES):
            continue
        url = reverse(name, args=args[key] if key else None)
        if url not in urls:
            urls.append(url)
    return urls


# Counts htmx requests in flight, so a page is checked once its panels (hx-trigger="load") are in.
COUNT_HTMX = """
window.__htmxPending = 0;
document.addEventListener("htmx:beforeRequest", () => { window.__htmxPending += 1; });
document.addEventListener("htmx:afterSettle", () => { window.__htmxPending = Math.max(0, window.__htmxPending - 1); });
document.addEventListener("htmx:afterRequest", (e) => {
  if (!e.detail.successful) window.__htmxPending = Math.max(0, window.__htmxPending - 1);
});
"""


def settle(page):
    """Wait for the htmx panels to be swapped in (charts draw as their scripts run)."""
    for _ in range(200):                  # polled from here: wait_for_function would eval, which the CSP refuses
        if page.evaluate("document.readyState === 'complete' && window.__htmxPending === 0"):
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"{page.url}: htmx panels still loading after 5 s")


def axe_violations(page, base):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=base + AXE)
    return page.evaluate(RUN_AXE)


def report(found, most=6):
    lines = []
    for url, violations in found:
        for v in violations:
            lines.append(f"{url}: {v['rule']} ({v['impact']}, {len(v['nodes'])}×) {v['help']}")
            lines += [f"    {node}" for node in v["nodes"][:most]]
            if len(v["nodes"]) > most:
                lines.append(f"    … {len(v['nodes']) - most} more")
    return lines


def walk(page, live_server, urls, strict=True):
    found, skipped, visited = [], [], 0
    for url in urls:
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as error:                  # a file sent as an attachment
            if "Download is starting" not in str(error):
                raise
            skipped.append(url)
            continue
        kind = response.headers.get("content-type", "") if response else ""
        if not kind.startswith("text/html"):
            skipped.append(url)
            continue
        if response.status != 200 and not strict:          # a page this user may not open
            skipped.append(url)
            continue
        assert response.status == 200, f"{url}: {response.status}"
        if "<html" not in response.text()[:500]:
            skipped.append(url)                             # an htmx panel: checked inside its page
            continue
        settle(page)
        visited += 1
        violations = axe_violations(page, live_server.url)
        if violations:
            found.append((url, violations))
    return found, visited, skipped


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_meets_wcag_2_1_aa(page, live_server, world, role):  # noqa: F811
    page.set_default_timeout(15000)
    page.add_init_script(COUNT_HTMX)
    if role != "anon":
        login(page, live_server, world["users"][role].username)
        page.wait_for_load_state("load")
    found, visited, skipped = walk(page, live_server, pages_for(role, world["args"]))
    lines = report(found)
    count = sum(len(v["nodes"]) for _, pages in found for v in pages)
    out = Path(settings.BASE_DIR) / "var" / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{role}.txt").write_text(
        f"{role}: {visited} pages checked, {len(skipped)} not HTML, {count} elements in violation\n"
        + "\n".join(report(found, most=10_000)) + "\n", encoding="utf-8")
    assert visited > 0
    assert not found, f"axe-core: {count} violations for {role} on {len(found)} of {visited} pages\n" \
        + "\n".join(lines)


def test_the_demo_pages_staff_read_most_meet_wcag_2_1_aa(page, live_server, demo):
    """The same check on the demo's real data (results of every colour, badges, charts, queues)."""
    from criteria.models import CultivationPlan, Declaration, Status
    from dashboards.demo import DEMO_PASSWORD
    from enterprises.models import Enterprise

    from .test_csp_browser import argless_pages

    page.add_init_script(COUNT_HTMX)
    login(page, live_server, "staff", DEMO_PASSWORD)
    firm = Enterprise.objects.filter(fiscal_years__isnull=False, products__isnull=False,
                                     cultivation_plans__isnull=False).first()
    submitted = Declaration.objects.filter(status=Status.SUBMITTED).first()
    urls = argless_pages() + [firm.get_absolute_url(), reverse("dossier", args=[firm.pk]),
                              reverse("criteria:plan_detail", args=[CultivationPlan.objects.filter(
                                  enterprise=firm).first().pk]),
                              reverse("criteria:declaration_detail", args=[submitted.pk])]
    found, visited, _ = walk(page, live_server, urls, strict=False)
    lines = report(found)
    assert visited > 20
    assert not found, "axe-core on the demo:\n" + "\n".join(lines)
