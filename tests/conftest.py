import os

import pytest
from django.core.management import call_command

from jinhu_portal.roles import Role
from enterprises.services import assign_role

from .factories import EnterpriseFactory, TownFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

if os.environ.get("JINHU_MUTATE_DB_READY"):
    # `make mutate` migrates one test database per area before mutmut starts, then runs a pytest per
    # mutant, two at a time.  Each pytest takes a copy of that database of its own (a file copy on
    # SQLite, a clone on PostgreSQL) instead of migrating one: checking the migrations cost more than
    # most mutants' tests, and two runs in one database wait on each other's locks.
    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        import shutil

        from django.db import connections

        conn = connections["default"]
        prepared = os.environ["JINHU_TEST_DB"]     # not NAME: a session before this one, in the same
        own = f"{prepared}_{os.getpid()}"          # process (mutmut's fork server), pointed it elsewhere
        conn.close()
        if conn.vendor == "sqlite":
            shutil.copyfile(prepared, own)
        else:
            _postgres(conn, f'CREATE DATABASE "{own}" TEMPLATE "{prepared}"')
        conn.settings_dict["NAME"] = own
        yield
        conn.close()
        conn.settings_dict["NAME"] = prepared
        if conn.vendor == "sqlite":
            os.unlink(own)
        else:
            _postgres(conn, f'DROP DATABASE IF EXISTS "{own}"')

    def _postgres(conn, sql):
        import psycopg2

        params = conn.get_connection_params()
        admin = psycopg2.connect(**{**params, "dbname": "postgres"})
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
        admin.close()


@pytest.fixture(autouse=True)
def _client_login_passes_a_request(monkeypatch):
    """django-axes needs the request of every login (it counts failures per user and address);
    the test client's `login()` sends none, so give it one from 127.0.0.1, as a browser would."""
    from django.http import HttpRequest
    from django.test import Client

    original = Client.login

    def login(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures are cached (dashboards/services.py); a rolled-back test must not leave its figures
    to the next, as a real write would have invalidated them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def plan_targets(db):
    """The plan period 2022–2024 and its 18 targets (fixtures/targets.json), as `make run` loads them."""
    call_command("loaddata", "targets", verbosity=0)
    from dashboards.models import PlanPeriod

    return PlanPeriod.objects.get(code="2022-2024")


@pytest.fixture
def town(db):
    return TownFactory(name="甲镇", code="A001")


@pytest.fixture
def other_town(db):
    return TownFactory(name="乙镇", code="B001")


@pytest.fixture
def firm(town):
    return EnterpriseFactory(town=town, name="甲镇示范企业")


@pytest.fixture
def other_firm(other_town):
    return EnterpriseFactory(town=other_town, name="乙镇示范企业")


def _user(username, role, **scope):
    return assign_role(UserFactory(username=username), role, **scope)


@pytest.fixture
def alice(firm):
    """An enterprise user of `firm`."""
    return _user("alice", Role.ENTERPRISE, enterprise=firm)


@pytest.fixture
def bob(db):
    """工信局 staff."""
    return _user("bob", Role.STAFF)


@pytest.fixture
def carol(db):
    """A county leader: reads everything, writes nothing."""
    return _user("carol", Role.LEADER)


@pytest.fixture
def dave(town):
    """The town officer of `town`."""
    return _user("dave", Role.TOWN_OFFICER, town=town)


@pytest.fixture
def erin(db):
    """A member-unit officer."""
    return _user("erin", Role.MEMBER_UNIT, member_unit="keji")


@pytest.fixture
def root(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    return assign_role(user, Role.ADMIN)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture
def published_editions(db):
    """The 2022 editions of every tier, published, as `make run` loads them."""
    from criteria.services import load_editions

    load_editions()


@pytest.fixture
def demo(db):
    """The whole demo: reference data, editions, 160 firms, judgments, and a stored evaluation,
    seeded for this test (a browser test's live server needs it committed, and flushed after)."""
    call_command("seed_demo", verbosity=0)


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo seeded once for a whole module of tests that each change it only inside their own
    transaction (a module overrides `demo` with `shared_demo`), and flushed when the module ends, so
    no other module sees it. Seeding costs seconds; these modules hold nothing but such tests."""
    from django.db import connection

    with django_db_blocker.unblock():
        assert not connection.in_atomic_block, "demo_module must be set up outside a test's transaction"
        call_command("seed_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def shared_demo(demo_module, db):
    """`demo` for a module of demo-only tests: the module's seeded demo, each test rolled back."""


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a folder of the test's own (uploads, staged imports, jobs' files); returns it."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
