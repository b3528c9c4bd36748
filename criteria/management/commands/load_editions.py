from django.core.management.base import BaseCommand

from criteria.services import load_editions


class Command(BaseCommand):
    help = "载入 fixtures/editions/ 中的认定标准版本（已存在的层级与年度跳过）。"

    def add_arguments(self, parser):
        parser.add_argument("--path", help="版本 JSON 所在目录")

    def handle(self, *args, **options):
        created = load_editions(options.get("path"))
        self.stdout.write(f"新载入 {len(created)} 个标准版本。")
