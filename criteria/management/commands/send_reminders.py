from datetime import date

from django.core.management.base import BaseCommand, CommandError

from criteria.admission.notifications import send_daily_reminders


class Command(BaseCommand):
    help = ("每日提醒：向截止日期在三天后、尚未提交申报的企业用户发送截止提醒（每个批次只发一次），"
            "再运行 settings.DAILY_REMINDERS 所列的其他每日提醒（如诉求和督办事项的逾期、到期提醒）；可重复执行。"
            "生产环境由 Celery beat 每天 08:00 执行同一任务。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”格式不正确，应为 YYYY-MM-DD。")
        first, *others = send_daily_reminders(today)
        self.stdout.write(self.style.SUCCESS(f"已发送 {first[1]} 条截止提醒。"))
        for dotted, sent in others:
            self.stdout.write(self.style.SUCCESS(f"{dotted}：已发送 {sent} 条提醒。"))
