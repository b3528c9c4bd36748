from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .roles import Role, role_of


@login_required
def home(request):
    """Each role lands on its own first page."""
    role = role_of(request.user)
    if role == Role.ENTERPRISE:
        return redirect("enterprises:mine")
    if role in (Role.LEADER, Role.MEMBER_UNIT):
        return redirect("dashboards:overview")
    if role in (Role.STAFF, Role.TOWN_OFFICER, Role.ADMIN):
        return redirect("enterprises:list")
    return redirect("dashboards:no_role")
