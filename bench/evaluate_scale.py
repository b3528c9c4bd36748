"""Benchmark: how scoring grows from N firms to 10 N (issue 13: 100,000 firms take at most 11 times
what 10,000 take, and one process stays under 1 GiB at both sizes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench .venv/bin/python bench/evaluate_scale.py [--firms 10000]

Runs bench/evaluate.py at N and at 10 N firms, each in a process and on a database of its own, and
prints both evaluate times, their ratio and each run's peak RSS. Only on PostgreSQL (the size a
province runs on); on SQLite it says it is skipped. At 100,000 firms it takes a while (building the
firms alone is minutes), which is why it is a benchmark of its own.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = re.compile(r"evaluate: (\d+) firms, raw read ([\d.]+) s, evaluate ([\d.]+) s, ratio [\d.]+, "
                    r"peak RSS (\d+) MiB")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=10000, help="the smaller size (default 10000)")
    p.add_argument("--years", type=int, default=4)
    return p.parse_known_args(argv)[0]


def run(firms, years):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "evaluate.py"), "--firms", str(firms),
                           "--years", str(years)], cwd=ROOT, capture_output=True, text=True)
    print(done.stdout, end="", flush=True)
    found = RESULT.search(done.stdout)
    if done.returncode or not found:
        sys.exit(f"evaluate.py --firms {firms} failed:\n{done.stderr[-2000:]}")
    return float(found.group(3)), int(found.group(4))


def main(argv=None):
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("evaluate_scale: skipped (needs DATABASE_URL on PostgreSQL)")
        return 0
    small, small_rss = run(args.firms, args.years)
    large, large_rss = run(args.firms * 10, args.years)
    ratio = large / small
    ok = ratio <= 11 and max(small_rss, large_rss) < 1024
    print(f"scale: {args.firms} firms {small:.1f} s (peak {small_rss} MiB), {args.firms * 10} firms {large:.1f} s "
          f"(peak {large_rss} MiB); ratio {ratio:.2f}; goal ratio <= 11 and peak < 1024 MiB: "
          f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
