"""One scoping rule for every model that belongs to a firm (NetBox's `RestrictedQuerySet`).

A model names the path from itself to its firm in `enterprise_path` ("" for Enterprise itself);
`Model.objects.visible_to(user)` then applies the role's reach, so no view writes
`enterprise__in=...` by hand and a record outside one's scope is a 404.
"""
from django.db import models

from jinhu_portal.roles import READ_ALL_ROLES, Role, role_of


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        path = self.model.enterprise_path
        role = role_of(user)
        if role in READ_ALL_ROLES:
            return self
        scope = getattr(user, "scope", None)
        if role == Role.TOWN_OFFICER and scope and scope.town_id:
            return self.filter(**{f"{path}__town_id" if path else "town_id": scope.town_id})
        if role == Role.ENTERPRISE and scope and scope.enterprise_id:
            return self.filter(**{f"{path}_id" if path else "pk": scope.enterprise_id})
        return self.none()


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class Scoped(models.Model):
    """Abstract base: gives a firm-owned model `objects.visible_to(user)`."""

    enterprise_path = "enterprise"
    objects = ScopedManager()

    class Meta:
        abstract = True
