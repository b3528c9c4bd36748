"""Rate limits that hold across worker processes, counted per client address as the trusted
proxies report it (jinhu_portal/limits.py, criteria/api.py `rate_limited`)."""
import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from criteria.api import rate_limited
from jinhu_portal.limits import CACHE_TABLE, DatabaseCache, client_ip, client_key, forwarded_client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
URL = "/api/v1/self-assessment/"
DB_CACHE = {"default": {"BACKEND": "jinhu_portal.limits.DatabaseCache", "LOCATION": CACHE_TABLE}}


# --- whose address -----------------------------------------------------------------------------

def test_a_forwarded_for_header_is_ignored_when_no_proxy_is_trusted():
    assert forwarded_client("192.0.2.10", "203.0.113.5", 0) == "192.0.2.10"
    assert forwarded_client("192.0.2.10", "203.0.113.5, 198.51.100.1", 0) == "192.0.2.10"


def test_with_one_trusted_proxy_the_right_most_forwarded_address_is_the_client():
    # The client spoofed "6.6.6.6"; our proxy appended the address it really saw.
    assert forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7", 1) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", "203.0.113.7", 1) == "203.0.113.7"


def test_with_two_trusted_proxies_the_client_is_two_hops_from_the_right():
    assert forwarded_client("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", 2) == "203.0.113.7"


def test_a_header_shorter_than_the_proxy_chain_or_not_an_address_falls_back_to_the_peer():
    assert forwarded_client("10.0.0.2", "", 1) == "10.0.0.2"
    assert forwarded_client("10.0.0.3", "203.0.113.7", 2) == "10.0.0.3"
    assert forwarded_client("10.0.0.2", "6.6.6.6, not-an-address", 1) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", " , ", 1) == "10.0.0.2"
    assert forwarded_client("", "", 0) is None


def test_ipv6_addresses_are_normalised_and_counted_per_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    a = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:1::1")
    b = RequestFactory().get("/", REMOTE_ADDR="2001:db8::ffff:2")
    assert client_ip(a) == "2001:db8::1:0:0:1"
    assert client_key("g", a) == client_key("g", b) == "2001:db8::"


def test_the_request_helper_reads_the_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"


def _post(client, **extra):
    return client.post(URL, "{}", content_type="application/json", **extra)


def test_a_spoofed_forwarded_for_header_does_not_buy_a_fresh_budget(client, db, settings):
    settings.SELF_ASSESSMENT_RATE = "2/d"  # a day-long window: a minute boundary must not reset the count mid-test
    settings.TRUSTED_PROXY_COUNT = 0
    caches["default"].clear()
    statuses = [_post(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(client, db, settings):
    settings.SELF_ASSESSMENT_RATE = "2/d"  # a day-long window: a minute boundary must not reset the count mid-test
    settings.TRUSTED_PROXY_COUNT = 1
    caches["default"].clear()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [_post(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.1", **proxy).status_code for _ in range(3)]
    assert first[-1] == 429
    # Same spoofed left-most value, another real client: not limited.
    assert _post(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.2", **proxy).status_code != 429


# --- counted in the database, atomically -------------------------------------------------------

def test_migrations_give_the_database_its_cache_table(db):
    assert CACHE_TABLE in connection.introspection.table_names()


def test_by_default_the_limit_is_counted_in_the_database_cache_table(db, settings):
    settings.CACHES = DB_CACHE
    settings.SELF_ASSESSMENT_RATE = "3/d"  # a day-long window: a minute boundary must not reset the count mid-test
    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    request = RequestFactory().post(URL, REMOTE_ADDR="192.0.2.44")
    assert [rate_limited(request) for _ in range(4)] == [False, False, False, True]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {CACHE_TABLE}")
        assert cursor.fetchone()[0] == 1


def test_the_database_cache_increments_and_refuses_a_missing_or_expired_key(db, settings):
    settings.CACHES = DB_CACHE
    cache = caches["default"]
    cache.add("n", 1, 60)
    assert cache.incr("n") == 2 and cache.incr("n", 5) == 7 and cache.get("n") == 7
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("old", 1, -1)
    with pytest.raises(ValueError):
        cache.incr("old")


# --- two processes, one counter ----------------------------------------------------------------

WORKER = textwrap.dedent("""
    import json, os, sys
    sys.path.insert(0, os.getcwd())
    import django
    django.setup()
    from django.conf import settings
    from django.test import RequestFactory
    from criteria.api import rate_limited

    hits = int(sys.argv[1])
    request = RequestFactory().post("/api/v1/self-assessment/", REMOTE_ADDR="198.51.100.77")
    print("ready", flush=True)
    sys.stdin.readline()                      # both start together
    limited = sum(rate_limited(request) for _ in range(hits))
    print(json.dumps({"limited": limited, "backend": settings.CACHES["default"]["BACKEND"]}), flush=True)
""")


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="jinhu_portal.settings.dev", DEBUG="false", **extra)
    return env


@pytest.fixture(scope="module")
def file_database(tmp_path_factory):
    """A SQLite file readied by `migrate` alone, as a fresh deployment would be."""
    path = tmp_path_factory.mktemp("shared") / "shared.sqlite3"
    url = f"sqlite:///{path}"
    result = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(DATABASE_URL=url),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return url


def _two_workers(env, hits):
    script = os.path.join(ROOT, "var", f"rate_worker_{uuid.uuid4().hex}.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(WORKER)
    try:
        procs = [subprocess.Popen([sys.executable, script, str(hits)], cwd=ROOT, env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        for p in procs:
            line = p.stdout.readline()
            assert line.strip() == "ready", line + p.stderr.read()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        os.remove(script)


def test_two_worker_processes_share_one_counter_in_the_database(file_database):
    # 2 × 40 hits against 50 a day from one address: exactly 30 refused, whichever process sent them.
    # (Each process alone stays under the limit, so per-process counting would refuse none.)
    results = _two_workers(_env(DATABASE_URL=file_database, SELF_ASSESSMENT_RATE="50/d"), 40)
    assert {r["backend"] for r in results} == {"jinhu_portal.limits.DatabaseCache"}
    assert sum(r["limited"] for r in results) == 30


def _redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return url


def test_with_redis_url_set_two_worker_processes_share_one_counter_in_redis(file_database):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis at 127.0.0.1:6379 (make test needs none)")
    prefix = f"jinhu-test-{uuid.uuid4().hex}"
    try:
        results = _two_workers(_env(DATABASE_URL=file_database, SELF_ASSESSMENT_RATE="50/d", REDIS_URL=url,
                                    CACHE_KEY_PREFIX=prefix), 40)
    finally:
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    assert {r["backend"] for r in results} == {"django.core.cache.backends.redis.RedisCache"}
    assert sum(r["limited"] for r in results) == 30
