"""`make loadtest` (bench/loadtest/run.py): production settings, spoken over plain HTTP on 127.0.0.1
by locust, with the demo data allowed in the load test's own database."""
from .prod import *  # noqa: F401,F403

ALLOW_DEMO_DATA = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
