"""A fresh database for a benchmark, so none ever touches the development database.

SQLite: a file in a new temporary directory, migrated. PostgreSQL (DATABASE_URL): Django's
test-database creation under `<name>_<suffix>`, dropped at the end.
"""
import os
import tempfile
from pathlib import Path


def setup_django(suffix):
    """Point Django at a fresh database before anything opens one; returns (vendor, cleanup)."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinhu_portal.settings.test"   # DEBUG off: no query log
    tmp = None
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        tmp = tempfile.TemporaryDirectory(prefix=f"jinhu-{suffix}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if tmp is not None:
        assert Path(settings.DATABASES["default"]["NAME"]).parent == Path(tmp.name)
        call_command("migrate", verbosity=0, interactive=False)

        def cleanup():
            connection.close()
            tmp.cleanup()
    else:
        old_name = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{old_name}_{suffix}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

        def cleanup():
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return connection.vendor, cleanup


def build_in_child(build, *args):
    """Build the data in a forked child so its memory does not count in the parent's peak RSS."""
    from django.db import connections

    connections.close_all()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            build(*args)
            connections.close_all()
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("building the benchmark data failed")
