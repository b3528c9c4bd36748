"""Services panels other apps' pages show without importing services: `{% load services_tags %}`.

`{% firm_services firm %}` on the firm's page: who is linked to it now (挂钩帮扶), its last visit and
the overdue flag, with links to record a visit and to its visits for those who may."""
from django import template
from django.db.models import Max

from .. import services
from ..models import Visit

register = template.Library()


@register.inclusion_tag("services/_firm_links.html", takes_context=True)
def firm_services(context, firm):
    request = context.get("request")
    user = getattr(request, "user", None)
    links = list(services.current_links().filter(enterprise=firm).select_related("person")
                 .order_by("kind", "starts_on", "pk"))
    last_visit = Visit.objects.filter(enterprise=firm).aggregate(last=Max("visited_on"))["last"]
    return {"firm": firm, "links": links, "last_visit": last_visit,
            "overdue": services.is_overdue(last_visit), "interval": services.visit_interval_days(),
            "may_record": bool(user) and services.may_record_visit(user, firm),
            "may_view_visits": bool(user) and user.has_perm("services.view_visit"),
            "may_link": bool(user) and user.has_perm("services.add_link")}
