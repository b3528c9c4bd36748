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
