from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.models import Edition
from criteria.whatif import what_if


class Command(BaseCommand):
    help = "试算：草稿版本与现行已发布版本相比，哪些企业获得或失去资格，原因是哪一条。"

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="草稿版本 ID")
        parser.add_argument("--year", type=int, help="评价年度（默认为版本年度减一）")

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
                reasons = "；".join(f"{code} {old}→{new}（{why}）" for _w, code, old, new, why in c.flips)
                self.stdout.write(f"  {c.enterprise.uscc} {c.enterprise.name}：{reasons}")
