"""Benchmark: 一企一册 of every pool firm as PDF, against rendering the same dossiers as HTML.

    .venv/bin/python bench/dossier_pdf.py [--firms N] [--rounds 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench .venv/bin/python bench/dossier_pdf.py

Always works on a database of its own, created fresh and removed afterwards (bench/_benchdb.py); the
development database (var/jinhu.sqlite3) is never opened.

Steps, all in the same process:
1. in a forked child: the reference data, the criteria editions and the demo (`seed_demo`: 160 firms,
   48 of them in the pool, with a stored evaluation, plans, lists and recognitions);
2. one dossier as HTML and as PDF, untimed (templates, the stylesheet and the fonts load once);
3. baseline, HTML: for every pool firm (at most `--firms`), the dossier's data gathered as the ZIP
   download gathers it (`criteria/dossier.py`, ZIP_CHUNK firms per query set, change history
   included) and rendered to the HTML the PDF is drawn from;
4. PDF: the same, then WeasyPrint draws it (`render_pdf`, what /enterprises/<id>/dossier.pdf and
   the ZIP do).

Prints both times, ratio = PDF / HTML, the pages and bytes written, and the peak resident set
size. The ratio is WeasyPrint's layout and drawing against Django's gathering and templating; no goal
is set by the issue (it asks for the figure), the README records it.
"""
import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import _benchdb  # noqa: E402  (beside this script)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=0, help="at most this many pool firms (default: all)")
    p.add_argument("--rounds", type=int, default=1, help="time each side this many times, keep the best (default 1)")
    args, _unknown = p.parse_known_args(argv)      # run_all.py passes every benchmark the same arguments
    return args


def build():
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    call_command("load_editions", verbosity=0)
    call_command("seed_demo", verbosity=0)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dossiers(firm_ids):
    """(firm, context) for each firm, gathered as the ZIP download gathers them."""
    from criteria import dossier

    for start in range(0, len(firm_ids), dossier.ZIP_CHUNK):
        chunk = firm_ids[start:start + dossier.ZIP_CHUNK]
        firms = {f.pk: f for f in dossier.dossier_queryset().filter(pk__in=chunk)}
        for pk in chunk:
            yield firms[pk], dossier.gather(firms[pk], with_history=True)


def time_html(firm_ids):
    from criteria import dossier

    t0, size = time.perf_counter(), 0
    for _firm, context in dossiers(firm_ids):
        size += len(dossier.render_html(context).encode())
    return time.perf_counter() - t0, size


def time_pdf(firm_ids):
    from criteria import dossier

    t0, pdfs = time.perf_counter(), []
    for _firm, context in dossiers(firm_ids):
        pdfs.append(dossier.render_pdf(context))
    return time.perf_counter() - t0, pdfs


def count_pages(pdfs):
    """Pages of all the PDFs (pdfinfo, from poppler-utils), or None without it."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return None
    pages = 0
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        pages += int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return pages


def main(argv=None):
    args = parse_args(argv)
    vendor, cleanup = _benchdb.setup_django("dossier_bench")
    try:
        from criteria import dossier

        problem = dossier.pdf_problem()
        if problem:
            raise SystemExit(problem)
        t0 = time.perf_counter()
        _benchdb.build_in_child(build)
        firm_ids = dossier.pool_firm_ids()
        if args.firms:
            firm_ids = firm_ids[:args.firms]
        print(f"built the demo on {vendor} in {time.perf_counter() - t0:.1f} s: {len(firm_ids)} pool dossiers")

        warm = next(dossiers(firm_ids[:1]))[1]              # templates, stylesheet, fonts
        dossier.render_html(warm)
        dossier.render_pdf(warm)

        html_times, pdf_times = [], []
        for _ in range(max(args.rounds, 1)):
            t_html, html_bytes = time_html(firm_ids)
            html_times.append(t_html)
            t_pdf, pdfs = time_pdf(firm_ids)
            pdf_times.append(t_pdf)
        pdf_bytes, pages = sum(len(p) for p in pdfs), count_pages(pdfs)
        t_html, t_pdf = min(html_times), min(pdf_times)
        n = len(firm_ids)
        print(f"HTML: {n} dossiers in {t_html:.2f} s ({t_html / n * 1000:.0f} ms each, "
              f"{html_bytes / 1024 / 1024:.1f} MiB)")
        print(f"PDF:  {n} dossiers in {t_pdf:.2f} s ({t_pdf / n * 1000:.0f} ms each, {pages} pages, "
              f"{pdf_bytes / 1024 / 1024:.1f} MiB)")
        print(f"dossier_pdf: {n} pool dossiers, HTML {t_html:.2f} s, PDF {t_pdf:.2f} s, "
              f"ratio {t_pdf / t_html:.1f}, peak RSS {peak_rss_mib():.0f} MiB ({vendor})")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
