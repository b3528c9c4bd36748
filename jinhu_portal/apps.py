from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "jinhu_portal"
    verbose_name = "平台"

    def ready(self):
        from . import preferences  # noqa: F401  (copies 长辈模式 into the session at login)
        from .roles import ensure_roles

        # After the last app migrates, so every app's permissions exist already.
        from django.apps import apps

        post_migrate.connect(ensure_roles, sender=apps.get_app_config("dashboards"), dispatch_uid="ensure_roles")
