"""Response headers the portal adds to every answer: Content-Security-Policy (django-csp, with the
one allowance 管理后台 needs) and Permissions-Policy."""
import base64
import hashlib

from csp.middleware import CSPMiddleware
from django.conf import settings

# Browser features no page of the portal uses: refused to every origin, the portal's own included.
# Only features Chromium knows (an unknown one is an error in the browser console).
DEFAULT_PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
}


def _header(policy):
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (settings.PERMISSIONS_POLICY, a feature -> allowed origins map)
    to every response that does not already carry one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = _header(getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


def style_attribute_hash(value):
    """The CSP source that allows exactly the inline style attribute `value`, e.g. "border-top: 0"."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"


# The admin's change-history pages (django-simple-history's object_history_list.html) carry one inline
# style attribute; under /admin/ the policy allows that exact attribute and nothing more.
ADMIN_STYLE_ATTRIBUTES = ("border-top: 0",)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY for every answer) that adds, under
    /admin/ only, `style-src-attr 'unsafe-hashes'` with the hashes of ADMIN_STYLE_ATTRIBUTES: no other
    inline style, and no inline script, anywhere."""

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(self.admin_prefix) and not report_only:
            extra = {"style-src-attr": ["'unsafe-hashes'", *map(style_attribute_hash, ADMIN_STYLE_ATTRIBUTES)]}
            parts.update = {**(parts.update or {}), **extra}
        return parts
