"""Production: every secret and host comes from the environment, and the process refuses to
start without them rather than run with a development default."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
try:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(f"生产环境必须设置环境变量 SECRET_KEY 和 ALLOWED_HOSTS：{exc}") from exc
if not ALLOWED_HOSTS or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("生产环境必须设置环境变量 SECRET_KEY 和 ALLOWED_HOSTS。")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The demo data must never be loaded into a production database.
ALLOW_DEMO_DATA = False
