"""The services section of a firm's 一企一册 dossier (page and PDF): `{% load services_dossier %}`
`{% dossier_services enterprise viewer %}`.

A template tag rather than an import from criteria: services imports criteria (upload checks), so
criteria may not import services. Three queries whatever the firm's history: the links in force, the
newest visits and the newest requests (each list capped). `viewer` is the user reading the dossier
(None for commands and staff's ZIP): a member-unit officer sees the requests routed to its unit only,
as on the request pages (`workflow.requests_for`)."""
from django import template

from .. import services, workflow
from ..models import ServiceRequest, Visit

register = template.Library()

DOSSIER_VISITS = 10
DOSSIER_REQUESTS = 20


@register.inclusion_tag("services/dossier_services.html")
def dossier_services(enterprise, viewer=None):
    links = list(services.current_links().filter(enterprise=enterprise).select_related("person")
                 .order_by("kind", "starts_on", "pk"))
    visits = list(Visit.objects.filter(enterprise=enterprise).select_related("visitor")
                  .order_by("-visited_on", "-pk")[:DOSSIER_VISITS])
    requests = ServiceRequest.objects.filter(enterprise=enterprise) if viewer is None else \
        workflow.requests_for(viewer).filter(enterprise=enterprise)
    requests = list(requests.order_by("-filed_at", "-pk")[:DOSSIER_REQUESTS])
    for r in requests:
        r.overdue = workflow.is_overdue(r)
    return {"links": links, "visits": visits, "requests": requests,
            "visit_limit": DOSSIER_VISITS, "request_limit": DOSSIER_REQUESTS}
