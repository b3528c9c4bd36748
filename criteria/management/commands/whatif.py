from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.models import Edition
from criteria.whatif import what_if


class Command(BaseCommand):
    help = "试算：草稿版本与现行已发布版本相比，哪些企业获得或失去资格，原因是哪一条。"

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="草稿版本 ID")
        parser.add_argument("--year", type=int, help="评价年度（默认为企业有数据的最近年度）")

    def handle(self, *args, **options):
        try:
            draft = Edition.objects.get(pk=options["edition"])
            result = what_if(draft, options.get("year"))
        except Edition.DoesNotExist:
            raise CommandError("没有该版本。")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        self.stdout.write(f"{result.draft} 对比 {result.base}，评价年度 {result.year}，共 {result.firms} 家企业")
        for title, changes in (("获得资格", result.gained), ("失去资格", result.lost)):
            self.stdout.write(f"{title}：{len(changes)} 家")
            for c in changes:
                reasons = "；".join(f"{f.code}{f'（{f.where}）' if f.where else ''} {f.before_label}→{f.after_label}"
                                   f"（{f.explanation}）" for f in c.flips)
                self.stdout.write(f"  {c.enterprise.uscc} {c.enterprise.name}（{c.before_label}→{c.after_label}）："
                                  f"{reasons}")
        for title, rows in (("按层级", result.by_tier), ("按镇（街道、开发区）", result.by_town)):
            self.stdout.write(f"{title}：")
            for row in rows:
                self.stdout.write(f"  {row.name}：获得 {row.gained} 家，失去 {row.lost} 家")
