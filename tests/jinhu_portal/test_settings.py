import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update(DJANGO_SETTINGS_MODULE="jinhu_portal.settings.prod", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


PROD_ENV = {"SECRET_KEY": "k8#Zq2!vN4p@Lr7tWx0yB3uE6oA9sD1fG5hJ8kM2nP4qR6tV8wY0zC3eF5gH7j", "ALLOWED_HOSTS": "jinhu.example"}


def test_deploy_check_prints_no_warning_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PROD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key_and_hosts():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_the_demo_command():
    result = _manage("seed_demo", **PROD_ENV)
    assert result.returncode != 0
    assert "生产环境禁止载入演示数据" in result.stderr


def test_settings_speak_chinese_and_keep_county_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def _setting(expression, **env):
    result = _manage("shell", "--no-imports", "-c", f"from django.conf import settings; print({expression})",
                     **PROD_ENV, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_counts_rate_limits_in_a_cache_every_worker_shares():
    assert _setting("settings.CACHES['default']['BACKEND']") == "jinhu_portal.limits.DatabaseCache"
    assert _setting("settings.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/3") == \
        "django.core.cache.backends.redis.RedisCache"


def test_deploy_check_stays_clean_with_redis_behind_a_trusted_proxy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/3",
                     TRUSTED_PROXY_COUNT="1", **PROD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_locks_logins_out_and_trusts_no_forwarded_header_by_default():
    assert _setting("settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, settings.TRUSTED_PROXY_COUNT") == \
        "5 0:30:00 0"
    assert _setting("settings.AXES_COOLOFF_TIME", LOGIN_COOLOFF_MINUTES="10") == "0:10:00"
