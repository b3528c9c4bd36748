"""deploy/jinhu.env.example names every variable the settings read, and the shell scripts parse."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting_read_from_the_environment():
    read = set()
    for module in (ROOT / "jinhu_portal" / "settings").glob("*.py"):
        read |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z_]+)\"", module.read_text()))
    listed = set(re.findall(r"^#?([A-Z_]+)=", (ROOT / "deploy" / "jinhu.env.example").read_text(), re.M))
    assert "SECRET_KEY" in read and "REDIS_URL" in read
    assert not read - listed, f"jinhu.env.example 缺少: {sorted(read - listed)}"


def test_backup_scripts_parse():
    for script in ("backup.sh", "restore.sh"):
        assert subprocess.run(["bash", "-n", str(ROOT / "deploy" / script)]).returncode == 0


def test_systemd_and_compose_both_run_the_web_a_worker_and_one_beat():
    import yaml

    units = {p.stem: p.read_text() for p in (ROOT / "deploy" / "systemd").glob("*.service")}
    assert "gunicorn" in units["jinhu-web"]
    assert "celery -A jinhu_portal worker" in units["jinhu-worker"]
    assert "celery -A jinhu_portal beat" in units["jinhu-beat"]
    services = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "jinhu_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "jinhu_portal", "beat"]
    assert sum("beat" in " ".join(s.get("command") or []) for s in services.values()) == 1
