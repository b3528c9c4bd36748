from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("认定标准与培育")

    def ready(self):
        # Results never go stale: every write of firm data in `enterprises` announces the firms and
        # years it touched (after commit); re-evaluate them (criteria/services.py `reevaluate`).
        from enterprises.signals import records_changed

        from .services import on_records_changed

        records_changed.connect(on_records_changed, dispatch_uid="criteria.reevaluate")
