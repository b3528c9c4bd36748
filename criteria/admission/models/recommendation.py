"""Recommendation lists (推荐申报): for a tier and a year, the firms 工信局 puts forward to the
higher level, in order, frozen before submission, each entry then following its outcome."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from criteria.models.editions import Tier
from enterprises.models import Enterprise, Recognition
from enterprises.models.scoping import Scoped
from jinhu_portal.roles import READ_ALL_ROLES, Role, role_of

from .declarations import Round


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    FROZEN = "frozen", _("已定稿")


class ListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff, leaders and member units read every list; a town officer the lists with a firm of
        its town on them; a firm the frozen lists it is on (it reads its own entry only)."""
        role = role_of(user)
        if role in READ_ALL_ROLES:
            return self
        entries = RecommendationEntry.objects.visible_to(user).filter(removed=False)
        if role == Role.ENTERPRISE:
            return self.filter(status=ListStatus.FROZEN, pk__in=entries.values("recommendation_list_id"))
        if role == Role.TOWN_OFFICER:
            return self.filter(pk__in=entries.values("recommendation_list_id"))
        return self.none()


class RecommendationList(models.Model):
    tier = models.CharField(_("推荐层级"), max_length=30, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"), help_text=_("名单依据的会计年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions",
                                 verbose_name=_("由此版本修订"))
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="recommendation_lists", verbose_name=_("推荐申报批次"))
    title = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("编制人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("定稿人"))
    frozen_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)

    objects = ListQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "tier", "-version"]
        verbose_name = _("推荐名单")
        verbose_name_plural = _("推荐名单")
        constraints = [models.UniqueConstraint(fields=["tier", "year", "version"], name="uniq_list_version",
                                               violation_error_message=_("该层级本年度已有同一版本的推荐名单。"))]

    def __str__(self):
        return self.title

    @property
    def frozen(self):
        return self.status == ListStatus.FROZEN


class EntrySource(models.TextChoices):
    EVALUATION = "evaluation", _("评价结果")
    ROUND = "round", _("推荐申报批次")
    MANUAL = "manual", _("工作人员添加")


class Outcome(models.TextChoices):
    PENDING = "pending", _("待推荐")
    RECOMMENDED = "recommended", _("已推荐")
    RECOGNISED = "recognised", _("已认定")
    NOT_PASSED = "not_passed", _("未通过")


class RecommendationEntry(Scoped):
    recommendation_list = models.ForeignKey(RecommendationList, on_delete=models.CASCADE, related_name="entries",
                                            verbose_name=_("推荐名单"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="recommendation_entries",
                                   verbose_name=_("企业"))
    position = models.PositiveIntegerField(_("排序"), default=0)
    source = models.CharField(_("来源"), max_length=12, choices=EntrySource.choices, default=EntrySource.EVALUATION)
    # a snapshot of the evaluation the list was built from: results are numbers, words come on display
    verdict = models.CharField(_("评价结论"), max_length=15, blank=True)
    met = models.PositiveSmallIntegerField(_("符合条数"), default=0)
    missed = models.PositiveSmallIntegerField(_("不符合条数"), default=0)
    open = models.PositiveSmallIntegerField(_("待定条数"), default=0)
    gaps = models.JSONField(_("未符合条目及差距"), default=list, blank=True)
    note = models.TextField(_("备注"), blank=True)
    removed = models.BooleanField(_("已移出名单"), default=False)
    removed_note = models.TextField(_("移出说明"), blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(_("结果日期"), null=True, blank=True)
    outcome_document = models.CharField(_("文号"), max_length=200, blank=True)
    recognition = models.ForeignKey(Recognition, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="recommendation_entries", verbose_name=_("认定记录"))

    class Meta:
        ordering = ["recommendation_list", "removed", "position", "pk"]
        verbose_name = _("推荐名单企业")
        verbose_name_plural = _("推荐名单企业")
        constraints = [models.UniqueConstraint(fields=["recommendation_list", "enterprise"], name="uniq_entry_per_list",
                                               violation_error_message=_("该企业已在本名单中。"))]

    def __str__(self):
        return f"{self.recommendation_list} · {self.enterprise}"
