"""长辈模式 (large-text mode, issue 15): the switch in the header, remembered per user.

A logged-in person's choice is stored on `UserPreference` and copied into the session when they log
in, so rendering a page costs no query; a visitor's is a cookie. The switch is a POST form (CSRF, no
script) that flips the mode and returns to the page it was pressed on."""
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.shortcuts import redirect

from .redirects import safe_next

COOKIE = "large_text"
SESSION_KEY = "large_text"
COOKIE_AGE = 365 * 24 * 3600


def large_text(request):
    """Whether this request is shown in 长辈模式."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        if SESSION_KEY in request.session:
            return bool(request.session[SESSION_KEY])
    return request.COOKIES.get(COOKIE) == "1"


def preference_context(request):
    return {"large_text": large_text(request)}


@receiver(user_logged_in, dispatch_uid="large_text_to_session")
def _copy_to_session(sender, request, user, **kwargs):
    from .models import UserPreference

    if request is not None and hasattr(request, "session"):
        stored = UserPreference.objects.filter(user=user).values_list("large_text", flat=True).first()
        if stored is None:                              # never chose: keep what the visitor chose before login
            stored = request.COOKIES.get(COOKIE) == "1"
        request.session[SESSION_KEY] = bool(stored)


@require_POST
def toggle_large_text(request):
    """Turns 长辈模式 on or off (`on` = 1 / 0; without it, the other way round) and goes back."""
    from .models import UserPreference

    wanted = request.POST.get("on")
    on = (wanted == "1") if wanted in ("0", "1") else not large_text(request)
    if request.user.is_authenticated:
        UserPreference.objects.update_or_create(user=request.user, defaults={"large_text": on})
        request.session[SESSION_KEY] = on
    messages.info(request, _("已开启长辈模式：文字和按钮放大显示。") if on else _("已恢复标准字号。"))
    response = redirect(safe_next(request, "home" if request.user.is_authenticated else "self_assessment"))
    response.set_cookie(COOKIE, "1" if on else "0", max_age=COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response
