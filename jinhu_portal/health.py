"""`/healthz`: what a load balancer, systemd or a monitor asks to know the portal can serve.

Checks the database (a trivial query), Redis (only when REDIS_URL is set; a direct ping with a
short timeout, so a down Redis answers within a second or two) and the media folder (exists, and a
file can be created and deleted there).  200 with every check "ok", or 503 naming what failed in
Chinese.  No login: it shows no data, only which part is broken; details of the failure (hosts,
exception text) go to the log, not to the anonymous answer.
"""
import logging
import os
import tempfile

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
NOT_CONFIGURED = "未配置"
REDIS_TIMEOUT_SECONDS = 1.5


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database check failed")
        return "数据库连接失败"
    return OK


def check_redis():
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                  socket_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        client.ping()
    except Exception:
        logger.exception("healthz: Redis check failed")
        return "Redis 连接失败"
    finally:
        client.close()
    return OK


def check_media():
    root = str(settings.MEDIA_ROOT)
    if not os.path.isdir(root):
        logger.error("healthz: MEDIA_ROOT %s does not exist", root)
        return "媒体目录不存在"
    try:
        fd, path = tempfile.mkstemp(prefix=".healthz-", dir=root)
        os.close(fd)
        os.remove(path)
    except OSError:
        logger.exception("healthz: MEDIA_ROOT %s is not writable", root)
        return "媒体目录不可写"
    return OK


CHECKS = {"database": check_database, "redis": check_redis, "media": check_media}


@never_cache
@require_GET
def healthz(request):
    checks = {name: check() for name, check in CHECKS.items()}
    healthy = all(result in (OK, NOT_CONFIGURED) for result in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks},
                        status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
