"""Who a client is, and counters every worker process shares: the rate limits and the login lockout.

- `client_ip(request)`: the client's address.  `X-Forwarded-For` is believed only as far as the
  settings say there are trusted proxies in front (`TRUSTED_PROXY_COUNT`, 0 by default): with N
  proxies, each appends the address it saw, so the client is the N-th address from the right.
  With none, or a header too short to have passed through them all, it is `REMOTE_ADDR`.
- `client_key(group, request)`: the django-ratelimit key (an IPv6 client counts per /64).
- `DatabaseCache`: Django's database cache with an atomic `incr`, so that two workers counting
  the same key never lose a hit (Django's own reads, adds and writes back).
- `LockoutAwareBasicAuthentication`: the API's Basic auth, counted by the login lockout.
"""
import base64
import ipaddress
import pickle

from django.conf import settings
from django.core.cache.backends import db
from django.db import connections, models, router
from django.utils.timezone import now as tz_now
from rest_framework import authentication, exceptions

IPV6_PREFIX = 64
#: The database cache's table (settings.CACHES); a migration of jinhu_portal creates it.
CACHE_TABLE = "jinhu_cache"


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def forwarded_client(remote_addr, forwarded_for, trusted_proxies):
    """The client address from the peer's address and an X-Forwarded-For header (pure)."""
    if trusted_proxies > 0 and forwarded_for:
        hops = [h for h in (part.strip() for part in forwarded_for.split(",")) if h]
        if len(hops) >= trusted_proxies:
            found = _address(hops[-trusted_proxies])
            if found:
                return found
    return _address(remote_addr or "")


def client_ip(request):
    """The address a request comes from, as far as the trusted proxies vouch for it (or None)."""
    meta = request.META
    return forwarded_client(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR", ""),
                            getattr(settings, "TRUSTED_PROXY_COUNT", 0))


def client_key(group, request):
    """The rate-limit key of a request: its client address (an IPv6 client's /64 network)."""
    request = getattr(request, "_request", request)
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return ip


class DatabaseCache(db.DatabaseCache):
    """The database cache with a compare-and-swap `incr`: safe when several processes count."""

    MAX_TRIES = 100

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        q = connection.ops.quote_name
        table = q(self._table)
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        for _try in range(self.MAX_TRIES):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {q('value')}, {q('expires')} FROM {table} WHERE {q('cache_key')} = %s", [key])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                raw, expires = row
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    raise ValueError(f"Key '{key}' not found")
                value = pickle.loads(base64.b64decode(connection.ops.process_clob(raw).encode()))
                new_value = value + delta
                encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
                # Written only if nobody wrote in between, else read again.  (Should the key expire and
                # come back with the same count meanwhile, the hit lands in the new window: still one hit.)
                cursor.execute(f"UPDATE {table} SET {q('value')} = %s WHERE {q('cache_key')} = %s AND {q('value')} = %s",
                               [encoded, key, raw])
                if cursor.rowcount == 1:
                    return new_value
        raise ValueError(f"Key '{key}' changed too often to be incremented")


# ---------------------------------------------------------------------------------------------
# Basic authentication that counts towards the login lockout
# ---------------------------------------------------------------------------------------------

LOCKED_OUT_MESSAGE = "登录失败次数过多，该账号已暂时锁定，请{minutes}分钟后再试或联系系统管理员解锁。"


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"


class LockoutAwareBasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic auth through django-axes: the request reaches `authenticate`, so a wrong password
    counts as a failed login, and a locked-out user and address get 429 with a Chinese message
    (and `Retry-After`), even with the right password."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                cool_off = settings.AXES_COOLOFF_TIME
                minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
                exc = LockedOut(LOCKED_OUT_MESSAGE.format(minutes=minutes) if cool_off
                                else settings.AXES_PERMALOCK_MESSAGE)
                exc.wait = int(cool_off.total_seconds()) if cool_off else None
                raise exc
            raise
