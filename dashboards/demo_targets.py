"""Demo data for leadership: several years of pool admissions (and a few moves out), city and
provincial titles each year, dated patents, standards and R&D institutions, trainings with a few
hundred distinct people, notable events for the bulletins and published showcase cases, so every
target card has a figure, a trend and a drill-down.

Deterministic: firms are picked by archetype and order, never at random.
"""
from datetime import date
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from criteria.models import PoolMembership
from enterprises import models as m
from services.models import Attendance, Training, TrainingKind

from .models import NotableEvent, ShowcaseEntry

K, L = m.RecognitionKind, m.Level
PLAN_YEARS = (2022, 2023, 2024)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海燕", "志军", "丽娟", "文杰", "晓东", "春梅", "国华", "明亮", "秀英", "立新", "红霞",
         "永强", "静怡", "伟", "敏", "磊", "婷", "勇", "洁"]


def spread_pool(builder):
    """Admissions over the plan's years, as the pool grew, and three firms that left in 2024."""
    memberships = list(PoolMembership.objects.order_by("enterprise_id"))
    for i, ms in enumerate(memberships):
        ms.admitted_on = date(PLAN_YEARS[i % 3], 3 + (i * 5) % 9, 10 + i % 18)
    PoolMembership.objects.bulk_update(memberships, ["admitted_on"])
    for firm in builder.firms_by_arch["near"][-3:]:
        PoolMembership.objects.create(enterprise=firm, admitted_on=date(2022, 7, 15), left_on=date(2024, 5, 20),
                                      leave_reason="年度核查：连续两年主营业务收入下降，不再符合入库条件。")
        m.Enterprise.objects.filter(pk=firm.pk).update(pool_status=m.PoolStatus.MOVED_OUT)


def more_titles(builder):
    """City giants each year (the annual target is 8–15) and provincial giants, with their dates."""
    rows = []
    cities = builder.firms_by_arch["city"] + builder.firms_by_arch["county"]
    for k, (year, count) in enumerate(((2022, 3), (2023, 9), (2024, 11))):
        start = sum((3, 9, 11)[:k])
        for i, firm in enumerate(cities[start:start + count]):
            rows.append(m.Recognition(enterprise=firm, kind=K.CITY_GIANT, level=L.CITY, year=year,
                                      granted_on=date(year, 3 + 3 * (i % 4), 12), document=f"淮工信〔{year}〕{20 + i}号",
                                      note="示范数据"))
    for year, firm in ((2023, builder.firms_by_arch["province"][3]), (2024, builder.firms_by_arch["province"][4]),
                       (2024, builder.firms_by_arch["city"][0])):
        rows.append(m.Recognition(enterprise=firm, kind=K.PROVINCE_GIANT, level=L.PROVINCE, year=year,
                                  granted_on=date(year, 11, 20), document=f"苏工信中小〔{year}〕99号", note="示范数据"))
    m.Recognition.objects.bulk_create(rows)


def dated_records(builder):
    """Grant dates for the invention patents, years for R&D institutions, and a few led standards."""
    patents = list(m.IPItem.objects.filter(ip_type=m.IPType.INVENTION, status=m.IPStatus.GRANTED).order_by("pk"))
    for i, item in enumerate(patents):
        item.granted_on = date(2019 + i % 7, 1 + i % 12, 1 + i % 28)
    m.IPItem.objects.bulk_update(patents, ["granted_on"])
    institutions = list(m.RDInstitution.objects.order_by("pk"))
    for i, inst in enumerate(institutions):
        inst.recognized_year = 2021 + i % 4
    m.RDInstitution.objects.bulk_update(institutions, ["recognized_year"])
    for i, firm in enumerate(builder.firms_by_arch["national"] + builder.firms_by_arch["province"][:2]):
        m.Standard.objects.create(enterprise=firm, name=f"{firm.main_business[:4]}通用技术条件",
                                  code=f"GB/T {40100 + i}-{2022 + i % 3}", level=m.StandardLevel.NATIONAL,
                                  role=m.StandardRole.LED if i % 2 == 0 else m.StandardRole.JOINED, year=2022 + i % 3)


def trainings(builder):
    """Twelve trainings over four years; people come back, so distinct people are fewer than seats."""
    firms = [f for arch in ("national", "province", "city", "county", "near") for f in builder.firms_by_arch[arch]]
    people = [(f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[(i // len(SURNAMES)) % len(GIVEN)]}", f"139{52000000 + i:08d}",
               firms[i % len(firms)]) for i in range(420)]
    kinds = list(TrainingKind)
    organisers = [m.MemberUnit.GONGXIN, m.MemberUnit.RENSHE, m.MemberUnit.SHICHANG, m.MemberUnit.YINGJI,
                  m.MemberUnit.RENCAI]
    rows = []
    for n in range(12):
        year, quarter = 2022 + n // 4, n % 4
        training = Training.objects.create(
            title=f"{year}年专精特新{kinds[n % 4].label}培训班（第{quarter + 1}期）", date=date(year, 3 * quarter + 2, 18),
            organiser=organisers[n % len(organisers)], kind=kinds[n % 4])
        start = (n * 37) % len(people)
        for name, mobile, firm in (people + people)[start:start + 55 + (n * 7) % 30]:
            rows.append(Attendance(training=training, name=name, mobile=mobile, enterprise=firm,
                                   role="总经理" if n % 4 == 0 else "技术骨干"))
    Attendance.objects.bulk_create(rows)


def events():
    staff = get_user_model().objects.get(username="staff")
    for when, title in (
            (date(2024, 2, 28), "召开全县专精特新企业培育工作推进会"),
            (date(2024, 5, 16), "组织12家入库企业参加省级专精特新申报政策培训"),
            (date(2024, 8, 22), "县领导带队走访挂钩帮扶企业，现场协调用地诉求"),
            (date(2024, 11, 26), "新增3家省级专精特新小巨人企业，创历年新高"),
            (date(2025, 3, 18), "完成2024年度培育库动态核查，3家企业移出培育库")):
        NotableEvent.objects.create(date=when, title=title, created_by=staff, detail="示范数据。")


def _picture(colour):
    """A plain banner picture (Pillow comes with WeasyPrint), so the showcase has an image to show."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 450), colour)
    draw = ImageDraw.Draw(image)
    for k in range(6):
        draw.rectangle([60 + k * 110, 300 - k * 35, 140 + k * 110, 400], fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="banner.png")


def showcase():
    """Five cases, one title of each giant tier first, so the public column shows every tier."""
    picks, seen = [], set()
    for round_ in range(2):
        for kind in (K.NATIONAL_GIANT, K.PROVINCE_GIANT, K.CITY_GIANT):
            rec = (m.Recognition.objects.filter(kind=kind).exclude(enterprise_id__in=seen)
                   .select_related("enterprise").order_by("year", "enterprise__name").first())
            if rec and len(picks) < 5:
                picks.append(rec)
                seen.add(rec.enterprise_id)
    for i, rec in enumerate(picks):
        firm = rec.enterprise
        entry = ShowcaseEntry(
            enterprise=firm, recognition=rec, title=f"{firm.name}：深耕{firm.main_business.split('的')[0]}，专精特新再上台阶",
            case_text=(f"{firm.name}专注{firm.main_business}领域，坚持研发投入，主导产品市场占有率稳居前列。\n"
                       f"{rec.year}年获评{rec.get_kind_display()}，成为全县培育工作的典型。"),
            picture_caption="企业生产车间（示范图片）", published=i < 4)
        if entry.published:
            from django.utils import timezone

            entry.published_at = timezone.now()
        entry.picture.save(f"case{i + 1}.png", _picture((30 + 40 * i, 90, 160 - 20 * i)), save=False)
        entry.save()


def build(builder):
    spread_pool(builder)
    more_titles(builder)
    dated_records(builder)
    trainings(builder)
    events()
    showcase()
