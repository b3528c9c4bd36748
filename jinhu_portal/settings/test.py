import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import DATABASES, VAR_DIR

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that threads of a test (two reviewers at once) share the database with
    # SQLite's real locking; one per test process, as several runs may share the working tree.
    # `make mutate` names a fixed file (JINHU_TEST_DB) and passes --reuse-db: one migration per area,
    # not one per mutant.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("JINHU_TEST_DB")
                                    or str(Path(tempfile.gettempdir()) / f"jinhu-test-{os.getpid()}.sqlite3")}
elif os.environ.get("JINHU_TEST_DB"):
    # `make mutate` on PostgreSQL: one test database per area, apart from the suite's own.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["JINHU_TEST_DB"]}
if os.environ.get("JINHU_MUTATE_DB_READY"):
    # ...already migrated by scripts/mutate.py: the tests use it directly (tests/conftest.py).
    DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = str(VAR_DIR / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The matrix and browser tests hit the API many times from one address.
SELF_ASSESSMENT_RATE = "10000/m"
# Tests count in this process's memory (the suite's fixtures clear it between tests without a
# database), even when REDIS_URL is set: `make test` needs no Redis.  The shared database cache
# is tested on its own (tests/jinhu_portal/test_rate_limit.py), on the table the migrations make.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run where they are queued, as on a machine without Redis; tests/jobs/test_worker_redis.py
# starts a real worker against the machine's Redis when REDIS_URL is set.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
