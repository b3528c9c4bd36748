from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from enterprises.models import Enterprise, PoolStatus, Recognition, Town
from jinhu_portal.decorators import perm_required


@perm_required("enterprises.view_enterprise")
def overview(request):
    """Leadership's first page: the pool and the titles won, by town, in a fixed handful of queries."""
    firms = Enterprise.objects.visible_to(request.user)
    towns = (Town.objects.annotate(
        firms=Count("enterprises", filter=Q(enterprises__in=firms)),
        in_pool=Count("enterprises", filter=Q(enterprises__in=firms, enterprises__pool_status=PoolStatus.IN_POOL)))
        .order_by("order", "code"))
    by_kind = (Recognition.objects.visible_to(request.user).values("kind", "year")
               .annotate(n=Count("id")).order_by("-year", "kind"))
    labels = dict(Recognition._meta.get_field("kind").choices)
    context = {
        "total": firms.count(),
        "in_pool": firms.filter(pool_status=PoolStatus.IN_POOL).count(),
        "towns": towns,
        "recognitions": [{**row, "label": labels.get(row["kind"], row["kind"])} for row in by_kind],
    }
    return render(request, "dashboards/overview.html", context)


@login_required
def no_role(request):
    return render(request, "dashboards/no_role.html")
