from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserPreference(models.Model):
    """What a person chose for how the portal looks to them, kept across browsers and logins:
    长辈模式 (large text, issue 15)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference",
                                verbose_name=_("用户"))
    large_text = models.BooleanField(_("长辈模式（大字号）"), default=False)

    class Meta:
        verbose_name = _("个人偏好")
        verbose_name_plural = _("个人偏好")

    def __str__(self):
        return f"{self.user}"
