"""The portal's roles as Django groups, what each may do, and the helpers views use to scope.

A role is a group; permissions are ordinary model permissions so the admin and DRF can use them.
What a role *reaches* (one firm, one town, everything) lives in `enterprises.UserScope` and is
applied by `Model.objects.visible_to(user)` (enterprises/models/scoping.py) in every `get_queryset`.
This module imports nothing from the apps: they import it.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import DjangoModelPermissions


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    TOWN_OFFICER = "town_officer", _("乡镇（街道、开发区）专员")
    STAFF = "staff", _("县工信局工作人员")
    MEMBER_UNIT = "member_unit", _("成员单位联络员")
    LEADER = "leader", _("县领导")
    ADMIN = "admin", _("系统管理员")


# Group names are the Chinese labels, so the admin reads naturally.
GROUP_NAMES = {role: str(role.label) for role in Role}

# app label -> actions ("view", "add", "change", "delete") per role; "*" means every model of the app.
_ALL = ("view", "add", "change", "delete")
ROLE_PERMISSIONS = {
    Role.ENTERPRISE: {"enterprises": ("view",), "criteria": ("view",)},
    Role.TOWN_OFFICER: {"enterprises": ("view",), "criteria": ("view",), "services": ("view",),
                        "dashboards": ("view",)},
    Role.STAFF: {"enterprises": _ALL, "criteria": _ALL, "services": _ALL, "dashboards": _ALL},
    Role.MEMBER_UNIT: {"enterprises": ("view",), "criteria": ("view",), "services": ("view",),
                       "dashboards": ("view",)},
    Role.LEADER: {"enterprises": ("view",), "criteria": ("view",), "services": ("view",), "dashboards": ("view",)},
    Role.ADMIN: {"enterprises": _ALL, "criteria": _ALL, "services": _ALL, "dashboards": _ALL, "auth": _ALL},
}
# Models an enterprise user may not even read (beyond the app-wide actions above).
ENTERPRISE_LIMITS = {"enterprises": {"userscope": ()}}

# Single permissions beyond the app-wide actions above, as "app_label.codename". An enterprise user
# reads its firm's records and changes only its firm's own descriptive fields (which fields:
# enterprises/permissions.py WRITABLE_FIELDS, with which these permissions agree); its yearly
# figures, products and other records change through an approved declaration, or staff.
EXTRA_PERMISSIONS = {
    Role.ENTERPRISE: ("enterprises.change_enterprise", "criteria.add_claim", "criteria.delete_claim",
                      # services: a firm files its own requests (诉求) and reads them with their history
                      "services.view_servicerequest", "services.add_servicerequest", "services.view_requestevent",
                      "services.view_requestattachment"),
}

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
READ_ALL_ROLES = (Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT)


def ensure_roles(**kwargs):
    """Create or refresh the groups and their permissions (run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, apps in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        perms = []
        for app_label, actions in apps.items():
            for perm in Permission.objects.filter(content_type__app_label=app_label).select_related("content_type"):
                action, _sep, model = perm.codename.partition("_")
                if action not in actions:
                    continue
                limits = ENTERPRISE_LIMITS.get(app_label, {}) if role == Role.ENTERPRISE else {}
                if perm.content_type.model in limits and action not in limits[perm.content_type.model]:
                    continue
                perms.append(perm)
        for dotted in EXTRA_PERMISSIONS.get(role, ()):
            app_label, codename = dotted.split(".")
            perms += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def role_of(user):
    """The one role a user acts in; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_portal_role", None)
    if cached is not None:
        return cached or None
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in (Role.ADMIN, Role.STAFF, Role.LEADER, Role.MEMBER_UNIT,
                                 Role.TOWN_OFFICER, Role.ENTERPRISE) if GROUP_NAMES[r] in names), "")
    user._portal_role = role
    return role or None


def is_staff_role(user):
    return role_of(user) in STAFF_ROLES


def own_enterprise_id(user):
    scope = getattr(user, "scope", None) if role_of(user) == Role.ENTERPRISE else None
    return scope.enterprise_id if scope else None


def role_context(request):
    role = role_of(request.user)
    return {"portal_role": role, "portal_role_label": Role(role).label if role else "",
            "is_staff_role": role in STAFF_ROLES, "Role": Role}


class ScopedModelPermissions(DjangoModelPermissions):
    """Model permissions for every method, reads included; the scope is the viewset's queryset."""

    perms_map = {**DjangoModelPermissions.perms_map,
                 "GET": ["%(app_label)s.view_%(model_name)s"],
                 "HEAD": ["%(app_label)s.view_%(model_name)s"]}
