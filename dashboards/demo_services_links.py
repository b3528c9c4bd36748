"""Demo: 挂钩帮扶 links for every pool firm and a year of visits.

Every pool firm is linked to a member-unit officer (`unit_<code>`, created here when missing, with the
names demo_services_requests gives them); every third to its town's leader (the town officer: "town"
for the first town, `townlead_<code>` for the others); every tenth to the county leader "leader"; "member"
(县科技局) to a few. Some links ended last year. Visits over the last year come from the linked people;
every sixth firm was last visited more than 90 days ago and every thirteenth never, so 超期未走访
has entries. Deterministic (its own random seed)."""
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Enterprise, PoolStatus
from enterprises.services import assign_role
from jinhu_portal.roles import Role

from .demo import give_demo_password

# The member units linked to firms, with the officer names demo_services_requests uses.
UNIT_OFFICERS = {"gongxin": "王海峰", "fagai": "李静", "keji": "吴晓梅", "shangwu": "陈磊", "jinrong": "沈立新",
                 "renshe": "韩雪", "shichang": "冯丽娟", "caizheng": "周建国"}
TOWN_LEADERS = ["钱卫东", "孙海燕", "李国平", "周明辉", "吴建军", "郑晓红", "王立新", "冯志刚", "陈红梅", "褚宏伟",
                "卫晓东", "蒋志华"]
TOPICS = ["了解生产经营和订单情况", "宣讲专精特新培育政策", "对接融资需求", "调研技改项目进度", "协调用工招聘",
          "指导申报省级专精特新", "走访研发中心建设", "了解用地和厂房需求", "安全生产和环保指导", "听取企业意见建议"]
NOTES = ["企业生产正常，订单饱满，计划扩大产能。", "企业反映融资成本偏高，已记录并转县金融管理服务中心。",
         "现场查看新产线，建议申报智能车间。", "企业希望对接高校共建研发平台，已联系县科技局。",
         "宣讲了研发费用加计扣除和专精特新奖补政策。", "企业反映招工难，已对接县人社局招聘会。"]


def _user(username, first_name, role, **scope):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created:
        give_demo_password(user)
    return assign_role(user, role, **scope)


def build(builder):
    from services.models import Link, LinkKind, Visit

    rnd = random.Random(1111)
    today = timezone.localdate()
    User = get_user_model()
    units = {code: _user(f"unit_{code}", name, Role.MEMBER_UNIT, member_unit=code)
             for code, name in UNIT_OFFICERS.items()}
    leader = User.objects.filter(username="leader").first()
    member = User.objects.filter(username="member").first()
    town_leaders = {}
    for i, town in enumerate(builder.towns):
        existing = User.objects.filter(username="town").first() if i == 0 else None
        town_leaders[town.pk] = existing or _user(f"townlead_{town.code}", TOWN_LEADERS[i % len(TOWN_LEADERS)],
                                                  Role.TOWN_OFFICER, town=town)
    firms = list(Enterprise.objects.filter(pool_status=PoolStatus.IN_POOL).order_by("pk"))
    start = date(today.year - 1, 1, 1)
    codes = list(UNIT_OFFICERS)
    links, visits = [], []
    for i, firm in enumerate(firms):
        code = codes[i % len(codes)]
        people = [(units[code], LinkKind.DEPARTMENT, code)]
        if i % 3 == 0:
            people.append((town_leaders[firm.town_id], LinkKind.TOWN_LEADER, ""))
        if i % 10 == 0 and leader:
            people.append((leader, LinkKind.COUNTY_LEADER, ""))
        if i % 8 == 1 and member:
            people.append((member, LinkKind.DEPARTMENT, "keji"))
        for person, kind, unit in people:
            links.append(Link(person=person, enterprise=firm, kind=kind, member_unit=unit, starts_on=start))
        if i % 17 == 4:         # an earlier link that ended
            old_code = codes[(i + 3) % len(codes)]
            links.append(Link(person=units[old_code], enterprise=firm, kind=LinkKind.DEPARTMENT, member_unit=old_code,
                              starts_on=date(today.year - 2, 3, 1), ends_on=date(today.year - 1, 6, 30)))
        if i % 13 == 12:
            continue            # never visited
        # a visit in the last 80 days (every sixth firm: none since 120 days ago), more across the year
        earliest = 120 if i % 6 == 5 else 1
        days_ago = [rnd.randint(earliest, 80 if earliest == 1 else 200)]
        days_ago += [rnd.randint(earliest, 360) for _n in range(rnd.randint(0, 4))]
        for days in days_ago:
            person = rnd.choice(people)[0]
            visits.append(Visit(enterprise=firm, visited_on=today - timedelta(days=days),
                                visitor=person, topics=rnd.choice(TOPICS), notes=rnd.choice(NOTES),
                                companions=rnd.choice(["", "", "县工信局工作人员", "镇经济发展局负责人"])))
    Link.objects.bulk_create(links)
    Visit.objects.bulk_create(visits)
