"""`/healthz`: 200 when the database, Redis (if configured) and the media folder work, else 503
naming the failing check in Chinese.  Nothing is mocked: the failures are real (a missing or
read-only folder, a closed port)."""
import os
import socket

import pytest
from django.urls import reverse


@pytest.fixture
def healthy(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REDIS_URL = ""
    return settings


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]      # closed again once the socket is: nothing listens there


@pytest.mark.django_db
def test_healthz_answers_200_without_login(client, healthy, tmp_path):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "未配置", "media": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")
    assert list(tmp_path.iterdir()) == [], "the probe file is deleted again"


@pytest.mark.django_db
def test_healthz_names_a_missing_media_folder(client, healthy, tmp_path):
    healthy.MEDIA_ROOT = str(tmp_path / "nowhere")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"] == {"database": "ok", "redis": "未配置", "media": "媒体目录不存在"}


@pytest.mark.django_db
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_healthz_names_a_read_only_media_folder(client, healthy, tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    healthy.MEDIA_ROOT = str(folder)
    try:
        response = client.get(reverse("healthz"))
    finally:
        folder.chmod(0o700)
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "媒体目录不可写"


@pytest.mark.django_db
def test_healthz_names_redis_when_it_does_not_answer(client, healthy):
    healthy.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "fail",
                               "checks": {"database": "ok", "redis": "Redis 连接失败", "media": "ok"}}


def _redis_listening():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_listening(), reason="no Redis on 127.0.0.1:6379")
def test_healthz_pings_a_running_redis(client, healthy):
    healthy.REDIS_URL = "redis://127.0.0.1:6379/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_refuses_post(client, healthy):
    assert client.post(reverse("healthz")).status_code == 405
