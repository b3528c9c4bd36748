from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from criteria.models import Edition, Tier
from criteria.services import evaluate_all
from enterprises.models import Enterprise


class Command(BaseCommand):
    help = "按评价年度对全部企业逐层级评价并保存结果（可重复执行，结果以最新一次为准）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="评价年度（上一完整会计年度）")
        parser.add_argument("--tier", action="append", choices=Tier.values, help="只评价该层级，可重复")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        year, tiers = options["year"], options.get("tier")
        if not Edition.objects.judging(year, tiers):
            raise CommandError(f"{year}年度没有可用的已发布标准版本。")
        total = Enterprise.objects.count()
        with tqdm(total=total, desc="评价企业", unit="家", disable=options["quiet"]) as bar:
            run = evaluate_all(year, tiers=tiers, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"已评价 {run.firms} 家企业：{run.counts}"))
