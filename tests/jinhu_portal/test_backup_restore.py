"""deploy/backup.sh and deploy/restore.sh, end to end on PostgreSQL: a populated database and its
evidence files are backed up, restored into a fresh database and a fresh media folder, and every
declaration, evidence file and history row is found there.

Runs in the PostgreSQL leg of CI (`DATABASE_URL=postgres://... make test`); skipped on SQLite or
without the PostgreSQL client tools.  The data is committed (transaction=True) so pg_dump, another
connection, sees it; the test database is flushed afterwards as usual."""
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from criteria.models import Attachment, Declaration, DeclarationEvent, Edition, Round
from criteria.services import load_editions
from enterprises.models import Enterprise

from ..factories import EnterpriseFactory, TownFactory

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"

pytestmark = [
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")),
                       reason="PostgreSQL client tools (pg_dump, pg_restore, psql) are not installed"),
]


def _url(name):
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _connect(name):
    s = connection.settings_dict
    return psycopg2.connect(dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "127.0.0.1",
                            port=s["PORT"] or 5432)


def _populate(media):
    load_editions()
    edition = Edition.objects.get(tier="county_pool", year=2022)
    today = timezone.localdate()
    round_ = Round.objects.create(title="备份批次", kind="data_update", tier="county_pool", year=2025,
                                  opens_on=today, closes_on=today, edition=edition)
    town = TownFactory(name="备份镇", code="BK01")
    expected_files = {}
    for i in range(3):
        firm = EnterpriseFactory(town=town, name=f"备份企业{i}")
        firm.name = f"备份企业{i}（更名）"
        firm.save()                                   # a second history row
        declaration = Declaration.objects.create(round=round_, enterprise=firm, data={"note": f"第{i}份"})
        content = f"%PDF-1.4 佐证材料 {i}".encode()
        attachment = Attachment.objects.create(declaration=declaration, original_name=f"证明{i}.pdf",
                                               file=SimpleUploadedFile("a.pdf", content), size=len(content),
                                               kind="pdf")
        expected_files[attachment.file.name] = content
        for action, before, after in (("submit", "draft", "submitted"), ("return", "submitted", "returned")):
            DeclarationEvent.objects.create(declaration=declaration, action=action, from_status=before,
                                            to_status=after, reason="备份测试")
    assert {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()} == set(expected_files)
    return expected_files


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_keeps_everything(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backup.sh backs up PostgreSQL; this run's database is " + connection.vendor)
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    expected_files = _populate(media)

    tables = {model: model._meta.db_table for model in
              (Declaration, Attachment, DeclarationEvent, Enterprise.history.model)}
    expected = {model: sorted(model.objects.values_list("pk", flat=True)) for model in tables}
    assert len(expected[Declaration]) == 3 and len(expected[DeclarationEvent]) == 6
    assert len(expected[Enterprise.history.model]) >= 6

    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(connection.settings_dict["NAME"]),
           "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "backups")}
    backup = subprocess.run([str(DEPLOY / "backup.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name[:2] == "20"
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    name = f"jinhu_restore_{uuid.uuid4().hex[:12]}"
    restored_media = tmp_path / "restored-media"
    try:
        restore = subprocess.run([str(DEPLOY / "restore.sh"), str(folder), name, str(restored_media)], env=env,
                                 capture_output=True, text=True, timeout=60)
        assert restore.returncode == 0, restore.stderr
        assert f"DATABASE_URL={_url(name).replace('postgres://', 'postgresql://')}" in restore.stdout

        conn = _connect(name)
        try:
            with conn.cursor() as cursor:
                for model, table in tables.items():
                    pk = model._meta.pk.column
                    cursor.execute(f'SELECT "{pk}" FROM "{table}" ORDER BY "{pk}"')
                    assert [row[0] for row in cursor.fetchall()] == expected[model], table
                cursor.execute(f'SELECT file FROM "{tables[Attachment]}"')
                assert {row[0] for row in cursor.fetchall()} == set(expected_files)
        finally:
            conn.close()
        for path, content in expected_files.items():
            assert (restored_media / path).read_bytes() == content

        # A restore never overwrites: the same database name again is refused.
        again = subprocess.run([str(DEPLOY / "restore.sh"), str(folder), name, str(tmp_path / "other")], env=env,
                               capture_output=True, text=True, timeout=60)
        assert again.returncode != 0 and "数据库已存在" in again.stderr
    finally:
        admin = _connect("postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
