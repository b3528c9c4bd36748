"""Where a view may send the user back to: the one reader of a `next` parameter.

A `next` (from POST, else from the query string) is followed only when it stays on this site
(same host, no other scheme, https when the request was https); anything else — `https://evil.example/`,
`//evil.example`, `\\\\evil.example`, `javascript:…` — falls back to the view's default. Views never read
`next` themselves (tests/jinhu_portal/test_safe_redirects.py greps for it).
"""
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request, target):
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def safe_next(request, default, *args, **kwargs):
    """The local URL given as `next`, else `default` (a URL, a URL name with its args, or a model)."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if is_safe_next(request, target):
        return target
    return resolve_url(default, *args, **kwargs)
