"""Demo cultivation plans (一企一策) and tracking officers (专人跟踪), called by `DemoBuilder.build`.

Every pool firm gets a tracking officer (three 工信局 staff share them, 张建华 the most) and a
liaison officer; a dozen pool firms get a plan for the tier above them, made some weeks ago, whose
items are in every state: open, overdue, done by staff with a note, and met (closed by the
portal itself after a staff judgment re-evaluated the firm). The demo firm login (`firm`) has one.
"""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from criteria import services
from criteria.admission.models import CultivationPlan, ItemStatus, PlanItem, PlanProgress
from criteria.admission.plans import generate_plan
from criteria.models import StaffJudgment
from enterprises import models as m
from enterprises.services import assign_role
from jinhu_portal.roles import Role

PLANS_MADE_DAYS_AGO = 75
# archetype -> (the tier its plans aim at, how many firms of it get a plan)
TARGETS = [("national", "national_champion", 1), ("province", "national_giant", 2),
           ("city", "province_giant", 4), ("county", "city_giant", 5)]
OFFICERS = [("gxj_li", "李明"), ("gxj_wang", "王芳")]
LIAISONS = ["陈红", "吴刚", "周静", "徐磊", "孙倩", "马骏", "朱丽", "胡斌"]
DONE_NOTES = ["已组织企业负责人座谈，明确整改路径", "已对接银行完成授信评估", "已完成现场核查，材料齐全",
              "已帮助企业提交知识产权申请"]


def build_plans(builder):
    from dashboards.demo import LAST_YEAR, give_demo_password

    today = timezone.localdate()
    made = today - datetime.timedelta(days=PLANS_MADE_DAYS_AGO)
    User = get_user_model()
    staff = User.objects.get(username="staff")
    officers = [staff]
    for username, name in OFFICERS:
        officers.append(assign_role(give_demo_password(User.objects.create_user(username, first_name=name)),
                                    Role.STAFF))

    # 专人跟踪: every pool firm has a tracking officer and a liaison; 张建华 tracks every other one
    pool = list(m.Enterprise.objects.filter(pool_status=m.PoolStatus.IN_POOL).order_by("pk"))
    for k, firm in enumerate(pool):
        firm.tracking_officer = staff if k % 2 == 0 else officers[1 + (k // 2) % 2]
        firm.liaison_officer = LIAISONS[k % len(LIAISONS)]
    m.Enterprise.objects.bulk_update(pool, ["tracking_officer", "liaison_officer"])

    chosen = []
    for arch, tier, n in TARGETS:
        firms = builder.firms_by_arch[arch][:n]
        chosen += [(m.Enterprise.objects.get(pk=f.pk), tier) for f in firms]
    services.evaluate_all(LAST_YEAR, enterprises=[f.pk for f, _t in chosen])

    due = datetime.date(today.year, 12, 31)
    plans = [generate_plan(firm, tier, user=staff, due_date=due, today=made) for firm, tier in chosen]
    PlanProgress.objects.filter(plan__in=plans).update(
        evaluated_at=timezone.make_aware(datetime.datetime.combine(made, datetime.time(9, 30))))

    for k, plan in enumerate(plans):
        items = list(plan.items.order_by("position"))
        # one item due a month after the plan was made: overdue while it stays open
        if items:
            PlanItem.objects.filter(pk=items[-1].pk).update(due_date=made + datetime.timedelta(days=30))
        # staff finished one item in most plans
        if len(items) > 1 and k % 4 != 3:
            PlanItem.objects.filter(pk=items[0].pk).update(
                status=ItemStatus.DONE, closed_on=made + datetime.timedelta(days=20 + k),
                note=DONE_NOTES[k % len(DONE_NOTES)])
    # the demo firm's plan also has an item staff added by hand
    firm_plan = plans[0]
    PlanItem.objects.create(plan=firm_plan, gap_text="申报省级智能制造示范工厂", action="对照申报指南准备材料，完善车间数字化改造",
                            responsible_unit=m.MemberUnit.GONGXIN, owner=firm_plan.enterprise.tracking_officer,
                            due_date=due, position=firm_plan.items.count() + 1)

    # a site visit settles judgment rules: the re-evaluation closes those items by itself (met)
    judged = []
    for plan in plans:
        codes = list(plan.items.filter(status=ItemStatus.OPEN, result="unknown", gap_text__startswith="需工作人员认定")
                     .values_list("code", flat=True)[:1])
        judged += [StaffJudgment(enterprise=plan.enterprise, tier=plan.tier, year=LAST_YEAR, code=code, met=True,
                                 reason="示范数据：经实地走访核实。", decided_by=staff) for code in codes]
    StaffJudgment.objects.bulk_create(judged)
    services.reevaluate({j.enterprise_id for j in judged}, assessed=[LAST_YEAR], user=staff)
    return CultivationPlan.objects.filter(pk__in=[p.pk for p in plans])
