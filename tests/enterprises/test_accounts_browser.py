"""A firm registers, its town officer activates it, the firm logs in and lands on its own page."""
import re

import pytest
from playwright.sync_api import expect

from enterprises.models import Enterprise, Notification

from ..factories import valid_uscc
from ..test_browser import login

pytestmark = pytest.mark.browser
PASSWORD = "Jh-secret-2024"


def test_register_activate_and_log_in(page, live_server, town, dave):
    page.goto(f"{live_server.url}/enterprises/register/")
    expect(page.get_by_role("heading", name="企业账号注册")).to_be_visible()
    page.locator("#id_username").fill("jinhuvalve")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.locator("#id_uscc").fill(valid_uscc(77))
    page.locator("#id_firm_name").fill("金湖精工阀门有限公司")
    page.locator("#id_town").select_option(label="甲镇")
    page.locator("#id_contact_person").fill("王五")
    page.locator("#id_phone").fill("13900000000")
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator("#register-errors")).to_contain_text("确认密码：")
    assert not Enterprise.objects.filter(uscc=valid_uscc(77)).exists()

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_role("heading", name="注册已提交")).to_be_visible()
    expect(page.locator("main")).to_contain_text("待所在镇（街道、开发区）专员或县工信局审核激活")

    # not yet active: the login fails
    login(page, live_server, "jinhuvalve", PASSWORD)
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()

    login(page, live_server, "dave")
    assert Notification.objects.filter(user=dave, title__contains="待激活").exists()
    page.goto(f"{live_server.url}/enterprises/inbox/")
    expect(page.locator("#inbox")).to_contain_text("金湖精工阀门有限公司")
    page.get_by_role("button", name="查看").first.click()
    expect(page.get_by_role("heading", name="待激活企业账号")).to_be_visible()
    row = page.locator("#pending-accounts tr", has_text="jinhuvalve")
    expect(row).to_contain_text("金湖精工阀门有限公司")
    row.get_by_role("button", name="激活").click()
    expect(page.get_by_role("alert")).to_contain_text("已激活")
    expect(page.get_by_text("暂无待激活的企业账号。")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    login(page, live_server, "jinhuvalve", PASSWORD)
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/$"))
    expect(page.get_by_role("heading", name="金湖精工阀门有限公司")).to_be_visible()
