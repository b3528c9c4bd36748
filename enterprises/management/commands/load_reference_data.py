from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

REFERENCE_FIXTURES = ["towns", "industry_tags"]


class Command(BaseCommand):
    help = "载入参考数据：镇（街道、开发区）、产业分类（可重复执行）；规划目标仅在尚无规划期时载入。"

    def handle(self, *args, **options):
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=options["verbosity"])
        # Staff edit targets afterwards: loading the plan's targets again would undo their edits.
        # (Looked up by name: enterprises imports nothing from the apps above it.)
        if not apps.get_model("dashboards", "PlanPeriod").objects.exists():
            call_command("loaddata", "targets", verbosity=options["verbosity"])
