"""The yearly figures' Excel import as a background job (settings.JOB_HANDLERS): one part, the whole
workbook in one transaction, so that it stays all or nothing; a worker does it while the page
shows how it goes."""
from pathlib import Path

from django.db import DatabaseError, IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.models import Job

from . import importing

NOT_WRITTEN = gettext_lazy("导入失败，未写入任何数据：%(reason)s")


class Refused(Exception):
    """The workbook cannot be written as it stands; the message says why, in Chinese."""
    expected = True


def staged_path(name):
    return importing.import_dir() / Path(name).name


def start_figures_import(path, *, filename, rows, user):
    """Write the checked workbook at `path` (a staged upload of `rows` rows) as a job."""
    return jobs.start(Job.Kind.IMPORT_FIGURES, [[]], sizes=[rows], user=user,
                      params={"file": Path(path).name, "filename": filename})


class FiguresImport:
    unit = gettext_lazy("行")

    def run_part(self, job, part):
        target = staged_path(job.params["file"])
        if not target.exists():
            raise Refused(NOT_WRITTEN % {"reason": _("上传的文件已不存在，请重新上传。")})
        # Checked again: the database may have changed since the preview (a firm deleted).
        preview = importing.parse_workbook(target)
        if preview.errors:
            raise Refused(NOT_WRITTEN % {"reason": _("数据已变化，文件中有%(n)s处错误：%(first)s") % {
                "n": len(preview.errors), "first": preview.errors[0]}})
        result = importing.commit(preview, job.started_by)
        return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}

    def failure(self, exc):
        if isinstance(exc, Refused):
            return str(exc)
        if isinstance(exc, importing.ImportRefused):
            return NOT_WRITTEN % {"reason": exc}
        if isinstance(exc, IntegrityError):     # someone wrote the same records meanwhile
            return NOT_WRITTEN % {"reason": _("数据库写入出错（可能有人同时修改了这些数据），请重新上传后再试。")}
        if isinstance(exc, DatabaseError):      # the connection dropped: the transaction wrote nothing
            return NOT_WRITTEN % {"reason": _("数据库连接中断，请稍后重新上传再试。")}
        return None

    def failed(self, job, parts):
        return parts[0].error

    def discard(self, job):
        """The staged workbook, kept while a failed import may be retried, goes with the job."""
        staged_path(job.params["file"]).unlink(missing_ok=True)

    def finish(self, job):
        self.discard(job)
        counts = job.part_rows.get().result
        return _("导入完成：新增%(c)s条，更新%(u)s条，无变化%(n)s条。") % {
            "c": counts["created"], "u": counts["updated"], "n": counts["unchanged"]}


FIGURES_IMPORT = FiguresImport()
