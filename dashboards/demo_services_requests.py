"""Demo: one officer per member unit (`unit_<code>`), a year of requests (诉求) in every state (some
overdue, one reopened and answered again, some closed late), and two joint meetings whose decisions
are partly tasks in various states. Every step goes through services.workflow (so each has its event
and its notices); the times are then moved back to when the step "happened"."""
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Enterprise, PoolStatus
from enterprises.models.choices import MemberUnit
from enterprises.services import assign_role
from jinhu_portal.roles import Role

from .demo import give_demo_password

# One officer per member unit of the plan (the town is not a unit one routes to).
UNIT_OFFICERS = {
    "gongxin": "王海峰", "fagai": "李静", "caizheng": "周建国", "keji": "吴晓梅", "shenpi": "郑涛",
    "shichang": "冯丽娟", "shangwu": "陈磊", "shengtai": "褚云", "yingji": "卫国强", "gongshanglian": "蒋红",
    "jinrong": "沈立新", "renshe": "韩雪", "rencai": "杨帆",
}
# Who takes up which kind of request.
UNITS_BY_CATEGORY = {
    "financing": ["jinrong", "caizheng"], "land": ["shenpi", "fagai"], "talent": ["renshe", "rencai"],
    "technology": ["keji", "gongxin"], "market": ["shangwu", "shichang"], "policy": ["gongxin", "fagai"],
    "other": ["gongxin", "shengtai", "yingji", "gongshanglian"],
}
TEXTS = {
    "financing": ["技改项目需贷款 800 万元，希望协调合作银行给予贴息", "申请“专精特新贷”授信额度提升",
                  "应收账款回款慢，希望对接供应链金融产品"],
    "land": ["扩建二期厂房需新增工业用地约 20 亩", "现有厂房产权证办理遇到历史遗留问题"],
    "talent": ["急需引进数控工艺高级工程师 2 名", "希望为一线技工开展职业技能等级认定", "员工子女入学需协调"],
    "technology": ["希望对接高校共建企业工程技术研究中心", "申报省级首台（套）装备需技术指导"],
    "market": ["希望参加省级专精特新产品展洽会", "产品进入央企供应商名录需推荐"],
    "policy": ["咨询研发费用加计扣除政策适用口径", "希望解读县级专精特新奖补政策兑现流程"],
    "other": ["厂区周边道路破损影响物流通行", "环评批复变更手续咨询", "安全生产标准化评审辅导"],
}
# (state, how many): routed_late = routed and past its due date; closed_late = answered after it.
PLAN = [("submitted", 4), ("routed", 6), ("routed_late", 5), ("answered", 5), ("closed", 10), ("closed_late", 3),
        ("reopened", 1), ("reopened_closed", 1)]


def build(builder):
    rnd = random.Random(1101)
    today = timezone.localdate()
    officers = unit_officers()
    User = get_user_model()
    staff = User.objects.get(username="staff")
    firm_user = User.objects.filter(username="firm").first()
    firms = list(Enterprise.objects.filter(pool_status=PoolStatus.IN_POOL).order_by("pk")) or \
        [f for arch in builder.firms_by_arch.values() for f in arch]
    n = 0
    for state, count in PLAN:
        for _ in range(count):
            firm = firms[(n * 7) % len(firms)]
            n += 1
            category = rnd.choice(list(TEXTS))
            filer = firm_user if firm_user and firm_user.scope.enterprise_id == firm.pk else staff
            request_in(state, firm, category, rnd, today, staff, officers, filer)
    # The demo firm user's own firm has a request waiting for its confirmation, and one closed.
    if firm_user is not None:
        own = firm_user.scope.enterprise
        request_in("answered", own, "financing", rnd, today, staff, officers, firm_user)
        request_in("closed", own, "talent", rnd, today, staff, officers, firm_user)
    meetings(rnd, today, staff, officers)


def unit_officers():
    User = get_user_model()
    officers = {}
    for code, name in UNIT_OFFICERS.items():
        user, created = User.objects.get_or_create(username=f"unit_{code}", defaults={"first_name": name})
        if created:
            give_demo_password(user)
        officers[code] = assign_role(user, Role.MEMBER_UNIT, member_unit=code)
    return officers


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _restamp(item, times, **fields):
    """Move the item's steps (in order) and the stamps given to when they happened."""
    for event, at in zip(item.events.order_by("pk"), times):
        type(event).objects.filter(pk=event.pk).update(at=at)
    if fields:
        type(item).objects.filter(pk=item.pk).update(**fields)


def request_in(state, firm, category, rnd, today, staff, officers, filer):
    from services import workflow
    from services.models import ServiceRequest

    unit = rnd.choice(UNITS_BY_CATEGORY[category])
    officer = officers[unit]
    days_ago = {"submitted": rnd.randint(1, 6), "routed": rnd.randint(3, 12), "routed_late": rnd.randint(40, 120),
                "answered": rnd.randint(10, 30)}.get(state, rnd.randint(30, 330))
    filed = today - timedelta(days=days_ago)
    item = ServiceRequest(enterprise=firm, category=category, description=rnd.choice(TEXTS[category]))
    workflow.advance(item, "file", filer)
    times = [_at(filed, 9)]
    stamps = {"filed_at": times[0]}
    if state != "submitted":
        routed = filed + timedelta(days=1)
        due = routed + timedelta(days=rnd.choice([15, 20, 30]))
        if state == "routed":
            due = max(due, today + timedelta(days=3))
        workflow.advance(item, "route", staff, unit=unit, due_date=due, today=routed,
                         note="请按期办理并答复企业。")
        times.append(_at(routed, 10))
        answer_day = routed + timedelta(days=rnd.randint(3, 12))
        if state == "closed_late":
            answer_day = due + timedelta(days=rnd.randint(2, 10))
        if state in ("answered", "closed", "closed_late", "reopened", "reopened_closed"):
            answer_day = min(answer_day, today)
            workflow.advance(item, "answer", officer, answer="已与企业对接，" + rnd.choice(
                ["协调事项已落实。", "已列入本月专题协调会。", "已出具书面答复意见。", "相关手续已办结。"]))
            times.append(_at(answer_day, 15))
            stamps["answered_at"] = times[-1]
        if state in ("reopened", "reopened_closed"):
            reopen_day = min(answer_day + timedelta(days=2), today)
            workflow.advance(item, "reopen", filer, note="答复未解决实际问题，请再协调。")
            times.append(_at(reopen_day, 11))
            stamps["answered_at"] = None
            if state == "reopened_closed":
                again = min(reopen_day + timedelta(days=5), today)
                workflow.advance(item, "answer", officer, answer="已再次协调，问题已解决。")
                times.append(_at(again, 16))
                stamps["answered_at"] = times[-1]
        if state in ("closed", "closed_late", "reopened_closed"):
            close_day = min(answer_day + timedelta(days=rnd.randint(1, 4)), today)
            if state == "reopened_closed":
                close_day = today
            workflow.advance(item, "confirm", filer)
            times.append(_at(close_day, 17))
            stamps["closed_at"] = times[-1]
    _restamp(item, times, **stamps)
    return item


def meetings(rnd, today, staff, officers):
    from services import workflow
    from services.models import Decision, Meeting

    first = today - timedelta(days=62)
    second = today - timedelta(days=31)
    units = [c for c in UNIT_OFFICERS]
    m1 = Meeting.objects.create(date=first, title=f"{first.year}年第{(first.month + 2) // 3}季度专精特新工作联席会议",
                                attendees=units, created_by=staff,
                                minutes="通报全县专精特新企业培育进展，研究企业诉求办理和入库申报工作。")
    m2 = Meeting.objects.create(date=second, title=f"{second.month}月专精特新工作领导小组月度会议",
                                attendees=units[:8], created_by=staff,
                                minutes="听取各成员单位上月工作情况，部署下月重点任务。")
    # (meeting, text, unit, days from meeting to due, state)
    rows = [
        (m1, "梳理重点培育企业融资需求清单并组织银企对接会", "jinrong", 30, "closed"),
        (m1, "完成专精特新企业研发费用加计扣除政策宣讲", "keji", 20, "closed_late"),
        (m1, "研究拟入库企业用地保障方案", "shenpi", 40, "reopened"),
        (m1, "更新全县专精特新企业培育库名单", "", 0, ""),
        (m2, "组织企业参加省级专精特新产品展洽会", "shangwu", 20, "routed_late"),
        (m2, "开展一线技工职业技能等级认定专场", "renshe", 45, "routed"),
        (m2, "汇总一季度企业诉求办理情况", "gongxin", 35, "answered"),
        (m2, "下次会议听取各镇区培育工作汇报", "", 0, ""),
    ]
    for meeting, text, unit, days, state in rows:
        decision = Decision.objects.create(meeting=meeting, text=text)
        if not unit:
            continue
        officer = officers[unit]
        due = meeting.date + timedelta(days=days)
        if state == "routed":
            due = max(due, today + timedelta(days=2))  # due within three days: the daily reminder speaks of it
        workflow.advance(decision, "route", staff, unit=unit, due_date=due, today=meeting.date)
        times = [_at(meeting.date, 18)]
        stamps = {}
        if state in ("answered", "closed", "closed_late", "reopened"):
            answer_day = min(due + timedelta(days=6) if state == "closed_late" else due - timedelta(days=5), today)
            workflow.advance(decision, "answer", officer, answer="已按会议要求完成。")
            times.append(_at(answer_day, 15))
            stamps["answered_at"] = times[-1]
            if state == "reopened":
                workflow.advance(decision, "reopen", staff, note="方案需补充用地指标来源。")
                times.append(_at(min(answer_day + timedelta(days=2), today), 10))
                stamps["answered_at"] = None
            if state in ("closed", "closed_late"):
                workflow.advance(decision, "confirm", staff)
                times.append(_at(min(answer_day + timedelta(days=2), today), 10))
                stamps["closed_at"] = times[-1]
        _restamp(decision, times, **stamps)
