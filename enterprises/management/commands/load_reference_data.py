from django.core.management import call_command
from django.core.management.base import BaseCommand

REFERENCE_FIXTURES = ["towns", "industry_tags"]


class Command(BaseCommand):
    help = "载入参考数据：镇（街道、开发区）、产业分类（可重复执行）。"

    def handle(self, *args, **options):
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=options["verbosity"])
