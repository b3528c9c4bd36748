from datetime import date

from django.core.management.base import BaseCommand, CommandError

from criteria.admission.notifications import send_deadline_reminders


class Command(BaseCommand):
    help = "向截止日期在三天后、尚未提交申报的企业用户发送截止提醒（每个批次只发一次，可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”格式不正确，应为 YYYY-MM-DD。")
        sent = send_deadline_reminders(today)
        self.stdout.write(self.style.SUCCESS(f"已发送 {sent} 条截止提醒。"))
