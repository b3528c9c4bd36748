from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from enterprises.models import Enterprise


class Command(BaseCommand):
    help = "载入参考数据并生成演示数据（约160家虚构企业、各角色演示账号）。数据库非空时不做任何事。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有企业时直接跳过")

    def handle(self, *args, **options):
        if not getattr(settings, "ALLOW_DEMO_DATA", False):
            raise CommandError("生产环境禁止载入演示数据。")
        if Enterprise.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库已有企业，跳过演示数据。")
                return
            raise CommandError("数据库已有企业数据；演示数据只能载入空数据库。")
        call_command("load_reference_data", verbosity=0)
        call_command("load_editions", verbosity=0)
        from criteria.services import evaluate_all
        from dashboards.demo import LAST_YEAR, build_demo

        build_demo()
        evaluate_all(LAST_YEAR)
        self.stdout.write(self.style.SUCCESS(f"已生成 {Enterprise.objects.count()} 家演示企业。"))
