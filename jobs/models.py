"""A long piece of work (scoring a year, say) split into parts that Celery workers run; its progress
is what the browser polls."""
from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs are the county's own work, not a firm's: every user who may start them sees them all."""
        from jinhu_portal.roles import READ_ALL_ROLES, role_of

        return self if role_of(user) in READ_ALL_ROLES else self.filter(started_by=user.pk)


class Job(models.Model):
    objects = JobQuerySet.as_manager()

    class Kind(models.TextChoices):
        EVALUATE = "evaluate", _("全部企业评价")
        IMPORT_FIGURES = "import_figures", _("年度数据导入")
        DOSSIERS = "dossiers", _("一企一册批量导出")

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("部分失败")

    kind = models.CharField(_("任务"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    params = models.JSONField(_("参数"), default=dict)
    parts = models.PositiveIntegerField(_("分块数"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成数"), default=0)
    # What the job made for download (the dossiers' ZIP); removed with the job.
    file = models.FileField(_("结果文件"), upload_to="jobs/", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("发起人"))
    in_request = models.BooleanField(_("未经任务队列"), default=False,
                                     help_text=_("任务队列不可用时，在发起的请求中直接完成"))
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    outcome = models.TextField(_("结果"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self):
        return f"{self.get_kind_display()}（{self.created_at:%Y-%m-%d %H:%M}）"

    @property
    def finished(self):
        return self.status != self.Status.RUNNING

    @property
    def download_name(self):
        """The file's name as the user saves it (the stored name is made safe for any disk)."""
        return self.params.get("filename") or self.file.name.rsplit("/", 1)[-1]

    @property
    def unit(self):
        """What the job counts, as its page says it: 家企业, 行."""
        from .services import handler

        return handler(self.kind).unit

    @property
    def percent(self):
        return 100 if not self.total else round(100 * self.done / self.total)


class JobPart(models.Model):
    """One part of a job (a chunk of firms): written once when the part has finished, so a part
    run twice (a retried or redelivered task) is counted once."""

    class Status(models.TextChoices):
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="part_rows", verbose_name=_("任务"))
    index = models.PositiveIntegerField(_("序号"))
    items = models.JSONField(_("对象"), default=list)
    # Counting a job's progress sums these, never decodes every part's items again.
    size = models.PositiveIntegerField(_("对象数"), default=0)
    result = models.JSONField(_("结果"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="job_part_once")]
        verbose_name = _("任务分块")
        verbose_name_plural = _("任务分块")


@receiver(post_delete, sender=Job)
def remove_file(sender, instance, **kwargs):
    """A job's files go with it (an admin deleting old jobs frees their ZIPs): its result, and what its
    handler kept for a retry (`discard(job)`, optional)."""
    from .services import handler

    if instance.file:
        instance.file.delete(save=False)
    discard = getattr(handler(instance.kind), "discard", None)
    if discard:
        discard(instance)
