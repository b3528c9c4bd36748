"""The table of the database cache, so that `migrate` alone readies a database (the test database
included): the rate-limit counters every worker shares live there unless REDIS_URL points at Redis.
Same as `manage.py createcachetable`, which skips tables that exist; `jinhu_cache` is made even
while settings name another cache, so switching back from Redis needs no extra step."""
from django.core.management import call_command
from django.db import migrations

from jinhu_portal.limits import CACHE_TABLE


def create_cache_tables(apps, schema_editor):
    database = schema_editor.connection.alias
    call_command("createcachetable", CACHE_TABLE, database=database, verbosity=0)
    call_command("createcachetable", database=database, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
