"""Which writes make cached figures stale: any save or delete of a record a target counts, of a
firm (its town moves figures between towns), or of the targets themselves; plus `records_changed`,
which imports and approvals send for their bulk writes."""
from django.db.models.signals import m2m_changed, post_delete, post_save

from .services import bump_version

WATCHED = [
    "enterprises.Enterprise", "enterprises.Recognition", "enterprises.RDInstitution", "enterprises.IPItem",
    "enterprises.Standard", "criteria.PoolMembership", "criteria.PlanItem", "services.Training",
    "services.Attendance", "dashboards.PlanPeriod", "dashboards.Target", "dashboards.AssessmentWeight",
    # the town assessment's visits and requests (a request's steps are conditional UPDATEs, each
    # writing a RequestEvent, so the event is what signals the change)
    "services.Visit", "services.ServiceRequest", "services.RequestEvent",
]


def connect():
    from django.apps import apps

    from enterprises.signals import records_changed

    for label in WATCHED:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(bump_version, sender=model, dispatch_uid=f"dashboards.{label}.{signal}")
    m2m_changed.connect(bump_version, sender=apps.get_model("enterprises.Enterprise").industry_tags.through,
                        dispatch_uid="dashboards.industry_tags")
    records_changed.connect(bump_version, dispatch_uid="dashboards.records_changed")
