"""Run every benchmark in bench/ (each `bench/*.py` except this file) in its own process.

    .venv/bin/python bench/run_all.py            # or: make bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench make bench

Extra arguments are passed to every benchmark (e.g. `--firms 2000` for a quick run; each takes
the arguments it knows, `dossier_pdf.py` ignores the others). Exits non-zero when a benchmark
fails; each prints its own figures and ratios. Scripts run in name order: dossier_pdf.py (the
demo's pool dossiers as PDF against HTML), evaluate.py, evaluate_scale.py (N and 10 N firms;
PostgreSQL only), evaluate_workers.py (1 and 2 Celery workers; only with PostgreSQL and REDIS_URL,
else it says it is skipped), import_xlsx.py.
"""
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *argv], cwd=HERE.parent)
        print(f"== {script.name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
