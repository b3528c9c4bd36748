"""criteria's background jobs (settings.JOB_HANDLERS): scoring a year in parts of firms, and the
pool's dossiers as one ZIP made in parts.  The jobs app runs them; it imports nothing of criteria."""
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.models import Job

from . import dossier
from . import services as scoring
from .models import EvaluationRun, Tier


def start_evaluation(year, *, tiers=None, user=None, chunk=None):
    """Score every firm for `year` (and `tiers`) as a job of parts of `chunk` firms; returns the job."""
    run, ids = scoring.start_run(year, tiers=tiers, user=user)
    return jobs.start(Job.Kind.EVALUATE, scoring.chunks(ids, chunk), user=user,
                      params={"year": year, "tiers": tiers or [], "run": run.pk})


def run_of(job):
    return EvaluationRun.objects.get(pk=job.params["run"])


class Evaluation:
    unit = gettext_lazy("家企业")

    def run_part(self, job, part):
        scoring.evaluate_chunk(run_of(job), part.items, keep_latest=False)

    def finish(self, job):
        ids = [pk for items in job.part_rows.values_list("items", flat=True) for pk in items]
        run = scoring.finish_run(run_of(job), ids)
        parts = [f"{name} {run.counts[f'{tier}:eligible']} 家" for tier, name in Tier.choices  # the plan's order
                 if run.counts.get(f"{tier}:eligible")]
        outcome = _("已完成 %(n)s 家企业的评价。") % {"n": run.firms}
        if parts:
            outcome += _("符合条件：") + "；".join(parts)
        return outcome


def start_dossiers(firm_ids, *, scope, user=None):
    """The dossiers of `firm_ids` (the pool, or one town's: `scope` names it) as a job of parts of
    ZIP_CHUNK firms, each part a ZIP of its PDFs; the last joins them into the job's file."""
    return jobs.start(Job.Kind.DOSSIERS, scoring.chunks(firm_ids, dossier.ZIP_CHUNK), user=user,
                      params={"scope": scope, "date": timezone.localdate().strftime("%Y%m%d")})


def _part_path(job, index):
    return Path(settings.MEDIA_ROOT) / "jobs" / f"{job.pk}-part-{index}.zip"


class Dossiers:
    unit = gettext_lazy("家企业")

    def run_part(self, job, part):
        target = _part_path(job, part.index)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written under another name and renamed: a part run twice never leaves half a ZIP behind.
        partial = target.with_suffix(".tmp")
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for firm, pdf in dossier.iter_dossier_pdfs(part.items, with_history=True):
                    archive.writestr(dossier.pdf_filename(firm), pdf)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)

    def failure(self, exc):
        return str(exc) if isinstance(exc, dossier.PdfUnavailable) else None

    def finish(self, job):
        name = _("%(scope)s培育库一企一册_%(date)s.zip") % job.params
        joined = Path(settings.MEDIA_ROOT) / "jobs" / f"{job.pk}-joined.zip"
        files = 0
        with zipfile.ZipFile(joined, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for index in range(job.parts):
                with zipfile.ZipFile(_part_path(job, index)) as part:
                    for info in part.infolist():      # one PDF in memory at a time
                        out.writestr(info, part.read(info))
                        files += 1
        with joined.open("rb") as handle:
            job.file.save(f"dossiers-{job.pk}.zip", File(handle), save=False)
        job.params["filename"] = name
        job.save(update_fields=["file", "params"])
        joined.unlink()
        self.discard(job)
        return _("已生成 %(n)s 家企业的一企一册。") % {"n": files}

    def discard(self, job):
        """The parts of a job once joined, or of a failed job when it is deleted (kept till then for a retry)."""
        for index in range(job.parts):
            _part_path(job, index).unlink(missing_ok=True)


EVALUATION = Evaluation()
DOSSIERS = Dossiers()
