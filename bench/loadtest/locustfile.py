"""Who uses the portal at once, for `make loadtest` (bench/loadtest/run.py starts locust with this file).

Firms (the most users) log in, start their declaration in the open admission round, fill a step,
submit it once and read their pages; staff read the review queue and declarations; leaders read the
dashboards; visitors post the public self-assessment. Each firm writes the declaration it submitted
to SUBMITTED_LOG, which run.py checks against the database afterwards.
"""
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text("utf-8"))
SUBMITTED_LOG = Path(os.environ["LOADTEST_SUBMITTED"])
PASSWORD = ACCOUNTS["password"]
FIRMS = list(ACCOUNTS["firms"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELF_ASSESSMENT = {
    "assessment_year": 2023, "tiers": ["county_pool", "city_giant"],
    "enterprise": {"registered_province": "江苏", "independent_legal_person": True, "category": "M",
                   "years_in_niche": 6, "own_brand": True},
    "financials": [{"year": y, "operating_revenue": str(8000 + 900 * k), "main_business_revenue": str(7600 + 850 * k),
                    "total_profit": "600", "rd_expense": str(300 + 20 * k), "total_assets": "12000",
                    "total_liabilities": "5000", "employees": 160, "rd_staff": 25} for k, y in enumerate(range(2020, 2024))],
    "products": [{"name": "精密阀门", "market_rank": {"domestic": 4}, "supplies_leading_enterprise": "某龙头企业"}],
    "ip": [{"type": "invention", "status": "granted"}] * 3,
}


class Portal(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = None

    def csrf(self, html):
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def login(self, username):
        page = self.client.get("/accounts/login/", name="登录页")
        with self.client.post("/accounts/login/", {"username": username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": self.csrf(page.text)},
                              headers={"Referer": self.host + "/accounts/login/"}, name="登录",
                              catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{username} 未能登录")

    def post(self, url, data, name, referer, expect=None):
        """POST as the page at `referer` would; a failure unless the answer shows `expect`."""
        page = self.client.get(referer, name=name + "（页面）")
        with self.client.post(url, {**data, "csrfmiddlewaretoken": self.csrf(page.text)},
                              headers={"Referer": self.host + referer}, name=name, catch_response=True) as response:
            if expect is not None and not (response.ok and expect(response)):
                response.failure(f"{name}：{response.status_code} {response.url}")
            return response


class Firm(Portal):
    """A firm's finance officer: declares once, then keeps reading its own pages."""
    weight = 5

    def on_start(self):
        self.account = FIRMS.pop() if FIRMS else random.choice(ACCOUNTS["firms"])
        self.login(self.account["username"])
        self.declaration = None

    @task(3)
    def declare(self):
        if self.declaration is not None or not self.account.get("declare"):
            return self.read_own()
        round_url = f"/criteria/enterprises/{self.account['enterprise']}/rounds/"
        started = re.compile(r"/criteria/declarations/(\d+)/")
        response = self.post(f"/criteria/rounds/{ACCOUNTS['round']}/declare/", {}, "开始申报", round_url,
                             expect=lambda r: started.search(r.url))
        match = started.search(response.url)
        if not match:
            return
        pk = match.group(1)
        step = f"/criteria/declarations/{pk}/step/basic/"
        self.client.get(step, name="申报步骤")
        submitted = self.post(f"/criteria/declarations/{pk}/submit/", {}, "提交申报", step,
                              expect=lambda r: "已提交申报。" in r.text)
        if "已提交申报。" in submitted.text:
            self.declaration = pk
            with SUBMITTED_LOG.open("a", encoding="utf-8") as log:
                log.write(f"{pk}\n")

    @task(2)
    def read_own(self):
        self.client.get(f"/enterprises/{self.account['enterprise']}/", name="企业详情（本企业）")
        self.client.get(f"/criteria/enterprises/{self.account['enterprise']}/results/", name="评价结果（本企业）")


class Staff(Portal):
    """工信局 staff reviewing declarations."""
    weight = 1

    def on_start(self):
        self.login(ACCOUNTS["staff"])

    @task(3)
    def queue(self):
        response = self.client.get("/criteria/queue/", name="审核队列")
        ids = re.findall(r"/criteria/declarations/(\d+)/", response.text)
        if ids:
            self.client.get(f"/criteria/declarations/{random.choice(ids)}/", name="申报详情")

    @task(1)
    def roster(self):
        self.client.get("/criteria/pool/", name="培育库名单")


class Leader(Portal):
    """County leadership watching the dashboards."""
    weight = 1

    def on_start(self):
        self.login(ACCOUNTS["leader"])

    @task
    def dashboards(self):
        self.client.get("/dashboards/", name="领导看板")


class Visitor(HttpUser):
    """A firm trying the policy calculator before it registers."""
    weight = 2
    wait_time = between(1, 3)

    @task
    def self_assess(self):
        self.client.post("/api/v1/self-assessment/", json=SELF_ASSESSMENT, name="自评接口")
