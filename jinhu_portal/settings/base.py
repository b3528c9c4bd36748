"""Settings shared by every environment; each environment module overrides what differs.

Values come from the environment (django-environ) so no secret lives in the code.
"""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "jinhu_portal",
    "enterprises",
    "criteria",
    "services",
    "dashboards",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy on every answer.
    "jinhu_portal.middleware.PortalCSPMiddleware",
    "jinhu_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jinhu_portal.urls"
WSGI_APPLICATION = "jinhu_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jinhu_portal.roles.role_context",
                "jinhu_portal.preferences.preference_context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jinhu.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the write lock when their transaction begins and wait for one another (up to
    # the timeout, in seconds) instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Evidence files live outside the static root and are served only through views that check scope.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Basic auth whose failures count towards the login lockout and which says so when locked.
        "jinhu_portal.limits.LockoutAwareBasicAuthentication",
    ],
    # The API takes JSON only; anything else is a 415.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["jinhu_portal.roles.ScopedModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Declares the error statuses (400/403/404/415/429) each operation can answer.
    "DEFAULT_SCHEMA_CLASS": "jinhu_portal.api.PortalAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "金湖县专精特新企业培育服务平台 API",
    "DESCRIPTION": "企业名录、年度数据与政策计算器接口",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # The self-assessment API uses plain codes where the records use labelled choices; name both.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseCategoryEnum": "enterprises.models.choices.Category",
        "CategoryCodeEnum": ["M", "I"],
        "RecordLevelEnum": "enterprises.models.choices.Level",
        "LevelCodeEnum": "criteria.metrics.LEVELS",
        # Tiers (plans, recommendation lists) and the wider list a recognition may name.
        "TierEnum": "criteria.models.Tier",
        "RecognitionTierEnum": "criteria.selfassess.RECOGNITION_TIERS",
        # The leading group's member units: a plan item's responsible unit, a training's organiser,
        # a request's or a decision's unit (services).
        "MemberUnitEnum": "enterprises.models.choices.MemberUnit",
        # services: a request's category and the steps of requests and meeting tasks.
        "RequestCategoryEnum": "services.models.RequestCategory",
        "RequestActionEnum": "services.models.RequestAction",
        # A request's and a meeting task's state (status, from_status, to_status share one set).
        "RequestStatusEnum": "services.models.RequestStatus",
    },
}

# After an import or an edit of firm data, re-evaluate the firms touched: "sync" (right after the
# write commits, in the same request) or "off" (results refresh with `manage.py evaluate`).
CRITERIA_REEVALUATE = env("CRITERIA_REEVALUATE", default="sync")

# Excel import bounds, checked on the zip before the workbook is parsed: rows per worksheet below
# the header row, and megabytes all parts of the workbook may take once unpacked (zip bombs).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50000)
IMPORT_MAX_UNCOMPRESSED_MB = env.int("IMPORT_MAX_UNCOMPRESSED_MB", default=100)

# 挂钩帮扶: a pool firm with no visit in this many days is flagged 超期未走访 (services).
SERVICE_VISIT_INTERVAL_DAYS = env.int("SERVICE_VISIT_INTERVAL_DAYS", default=90)

# Daily notices run by the beat (and `manage.py send_reminders`) after the declaration deadlines: each a function
# taking `today` (None = today) and returning how many notices it sent. services: overdue requests and
# tasks (once per item and due date), tasks due within three days.
DAILY_REMINDERS = ["services.notify.send_request_reminders"]

# The public self-assessment API is limited per client address.
SELF_ASSESSMENT_RATE = env("SELF_ASSESSMENT_RATE", default="120/m")
RATELIMIT_USE_CACHE = "default"
# Counters every worker process shares: Redis when REDIS_URL is set, else the database (its table
# is made by a migration of jinhu_portal, and by `manage.py createcachetable`).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="jinhu")}}
else:
    CACHES = {"default": {"BACKEND": "jinhu_portal.limits.DatabaseCache", "LOCATION": "jinhu_cache",
                          "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="jinhu")}}
# Background jobs (Celery, jobs/): with REDIS_URL set, tasks go to Redis and `celery -A jinhu_portal
# worker` processes run them; without it (development, tests) each runs at once where it is queued.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False          # a failed part is recorded on its job, not raised
CELERY_TASK_IGNORE_RESULT = True              # progress lives in the database (jobs.Job)
CELERY_TASK_PUBLISH_RETRY = False             # an unreachable broker fails fast: the request runs it
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 0}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1         # parts are long: one at a time per worker process
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "Asia/Shanghai"
# What runs each kind of background job (jobs/services.py); dotted paths, so that jobs imports none of them.
JOB_HANDLERS = {
    "evaluate": "criteria.jobs.EVALUATION",
    "dossiers": "criteria.jobs.DOSSIERS",
    "import_figures": "enterprises.jobs.FIGURES_IMPORT",
}
# The beat (one process per installation: deploy/systemd/jinhu-beat.service) starts the periodic tasks.
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {"task": "criteria.tasks.daily_reminders",
                        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=8), minute=0)},
}
# How many reverse proxies in front of the portal append to X-Forwarded-For; 0 = trust no header
# and take the peer's address.  With N, the client is the N-th address from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one user from one
# address (login page or API Basic auth), that pair is refused for LOGIN_COOLOFF_MINUTES; an
# administrator unlocks it sooner under 管理后台 › Axes › Access attempts.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jinhu_portal.limits.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，该账号已暂时锁定，请稍后再试或联系系统管理员解锁。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，该账号已锁定，请联系系统管理员解锁。"

# Content-Security-Policy (django-csp): scripts, styles, fonts and fetches from the portal itself
# only, so no template may carry an inline <script>, <style>, style="" or on*="" handler (the
# scripts live in static/js, the styles in static/css; tests/jinhu_portal/test_csp.py scans the
# templates).  The API docs page (/api/docs/) loads its script from its own URL for the same reason;
# under /admin/ one inline style attribute of django-simple-history is allowed by its hash
# (jinhu_portal/middleware.py, PortalCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features no page uses, refused (jinhu_portal.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {feature: [] for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "magnetometer", "gyroscope", "accelerometer",
    "display-capture")}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@jinhu.example")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
ALLOW_DEMO_DATA = True
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
