"""What the tiers ask: editions (one per tier and notice year) of criteria, each a small CNF of
conditions. Rules are data: next year's notice is a cloned, edited and published edition."""
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import engine


class Tier(models.TextChoices):
    COUNTY_POOL = "county_pool", _("金湖县专精特新小巨人企业培育库")
    PROVINCE_POOL = "province_pool", _("江苏省千企升级培育库")
    CITY_GIANT = "city_giant", _("淮安市专精特新小巨人企业")
    CITY_PRODUCT = "city_product", _("淮安市专精特新产品")
    PROVINCE_GIANT = "province_giant", _("江苏省专精特新小巨人企业")
    PROVINCE_PRODUCT = "province_product", _("江苏省专精特新产品")
    NATIONAL_GIANT = "national_giant", _("国家级专精特新“小巨人”企业")
    NATIONAL_CHAMPION = "national_champion", _("国家制造业单项冠军")
    INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已废止")


class CriterionRole(models.TextChoices):
    """What a criterion is in its edition: a pass/fail rule (a prerequisite beside bands in a scored
    edition), a scored indicator (bands of points), or a direct route (met: passes whatever the score)."""

    RULE = "rule", _("条件（须满足）")
    INDICATOR = "indicator", _("评分指标")
    DIRECT = "direct", _("直通条件")


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PRODUCT = "product", _("产品")


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditionStatus.PUBLISHED)

    def judging(self, year, tiers=None):
        """Per tier, the published edition that judges accounts of `year` (newest E with E-1 <= year)."""
        qs = self.published().filter(year__lte=year + 1).order_by("tier", "-year")
        if tiers:
            qs = qs.filter(tier__in=tiers)
        best = {}
        for edition in qs.prefetch_related("criteria__conditions"):
            best.setdefault(edition.tier, edition)
        return [best[t] for t in Tier.values if t in best]


class Edition(models.Model):
    tier = models.CharField(_("层级"), max_length=30, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(_("申报通知年度"))
    name = models.CharField(_("名称"), max_length=100)
    notice = models.CharField(_("依据文件"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    variants = models.JSONField(_("类别"), default=dict, help_text=_("类别代码与名称，如 {\"M\": \"制造类\"}"))
    scoring = models.JSONField(
        _("评分规则"), default=dict, blank=True,
        help_text=_("评分制标准填写：{\"pass_mark\": \"60\", \"dimensions\": [{\"code\": \"innovation\", "
                    "\"name\": \"创新能力\", \"max\": \"40\", \"minimum\": \"20\"}], \"direct_hints\": {…}}；"
                    "逐条判定的标准留空"))
    cloned_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="clones", verbose_name=_("复制自"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "-year"]
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        constraints = [models.UniqueConstraint(
            fields=["tier", "year"], condition=Q(status="published"), name="one_published_edition_per_tier_year",
            violation_error_message=_("该层级该年度已有一个已发布的版本，请先废止原版本。"))]

    def __str__(self):
        return f"{self.year}年 {self.get_tier_display()}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("criteria:edition_detail", args=[self.pk])

    @property
    def is_frozen(self):
        return self.status != EditionStatus.DRAFT

    def ensure_editable(self):
        if self.is_frozen:
            raise ValidationError(_("“%(edition)s”已发布或已废止，不能修改；请复制为新版本后编辑。")
                                  % {"edition": self})

    def to_spec(self):
        """The engine's view of this edition (uses prefetched criteria and conditions when present)."""
        criteria = tuple(sorted((c.to_spec() for c in self.criteria.all()), key=lambda c: c.order))
        return engine.EditionSpec(tier=self.tier, year=self.year, name=self.name, notice=self.notice,
                                  variants=self.ordered_variants(criteria), criteria=criteria,
                                  scoring=engine.scoring_from_json(self.scoring))

    @property
    def is_scored(self):
        return bool(self.scoring)

    def ordered_variants(self, criteria):
        """PostgreSQL's jsonb does not keep key order, so the notice's order (M before I) is taken
        from the criteria, which are ordered as the notice lists them."""
        seen = []
        for c in criteria:
            if c.variant and c.variant in self.variants and c.variant not in seen:
                seen.append(c.variant)
        seen += sorted(set(self.variants) - set(seen))
        return {code: self.variants[code] for code in seen}

    @transaction.atomic
    def clone(self, year, user=None):
        copy = Edition.objects.create(tier=self.tier, year=year, name=self.name, notice=self.notice,
                                      variants=self.variants, scoring=self.scoring, cloned_from=self,
                                      created_by=user)
        for criterion in self.criteria.prefetch_related("conditions"):
            conditions = list(criterion.conditions.all())
            criterion.pk, criterion.edition = None, copy
            criterion._state.adding = True
            criterion.save()
            for condition in conditions:
                condition.pk, condition.criterion = None, criterion
                condition._state.adding = True
                condition.save()
        return copy

    @transaction.atomic
    def publish(self):
        if self.status != EditionStatus.DRAFT:
            raise ValidationError(_("只有草稿可以发布。"))
        if not self.criteria.exists():
            raise ValidationError(_("版本中没有任何条目，不能发布。"))
        clash = Edition.objects.published().filter(tier=self.tier, year=self.year).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(_("%(year)s年%(tier)s已有已发布的版本，请先废止原版本。")
                                  % {"year": self.year, "tier": self.get_tier_display()})
        self.status, self.published_at = EditionStatus.PUBLISHED, timezone.now()
        self.save(update_fields=["status", "published_at"])

    def retire(self):
        if self.status != EditionStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的版本可以废止。"))
        self.status = EditionStatus.RETIRED
        self.save(update_fields=["status"])


def validate_decimal_text(value):
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("阈值“%(value)s”不是数字。"), params={"value": value}, code="threshold")
    if not Decimal(str(value)).is_finite():
        raise ValidationError(_("阈值“%(value)s”不是数字。"), params={"value": value}, code="threshold")


class FrozenWithEdition(models.Model):
    """Rows of a published edition are frozen, whatever path (form, admin, shell) tries to write them."""

    class Meta:
        abstract = True

    def _edition(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self._edition().ensure_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._edition().ensure_editable()
        return super().delete(*args, **kwargs)


class Criterion(FrozenWithEdition):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("版本"))
    code = models.CharField(_("代码"), max_length=20)
    text = models.TextField(_("条文（通知原文）"))
    variant = models.CharField(_("类别"), max_length=5, blank=True, help_text=_("留空表示各类别共用"))
    scope = models.CharField(_("对象"), max_length=10, choices=Scope.choices, default=Scope.ENTERPRISE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    overridable = models.BooleanField(_("工作人员可改判"), default=False)
    reading = models.TextField(_("解读说明"), blank=True)
    # scored editions (创新型中小企业): an indicator's bands of points, its dimension and maximum
    role = models.CharField(_("作用"), max_length=10, choices=CriterionRole.choices, default=CriterionRole.RULE)
    dimension = models.CharField(_("评分维度"), max_length=20, blank=True)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, null=True, blank=True)
    bands = models.JSONField(_("分档"), default=list, blank=True,
                             help_text=_("由高分到低分，每档：分值、比较方式、边界值、名称、通知原文；最后一档不设比较，表示其余情形"))

    class Meta:
        ordering = ["edition", "order", "code"]
        verbose_name = _("认定条目")
        verbose_name_plural = _("认定条目")
        constraints = [models.UniqueConstraint(
            fields=["edition", "code"], name="uniq_criterion_code",
            violation_error_message=_("同一版本中已有相同代码的条目。"))]

    def __str__(self):
        return f"{self.code} {self.text[:30]}"

    def _edition(self):
        return self.edition

    @property
    def is_judgment(self):
        return any(c.metric == "judgment" for c in self.conditions.all())

    def to_spec(self):
        conditions = tuple(c.to_spec() for c in sorted(self.conditions.all(), key=lambda c: (c.order, c.pk or 0)))
        return engine.CriterionSpec(code=self.code, text=self.text, variant=self.variant, scope=self.scope,
                                    order=self.order, conditions=conditions, overridable=self.overridable,
                                    reading=self.reading, role=self.role, dimension=self.dimension,
                                    max_points=None if self.max_points is None else str(self.max_points),
                                    bands=engine.bands_from_json(self.bands))


class Condition(FrozenWithEdition):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="conditions",
                                  verbose_name=_("条目"))
    group = models.CharField(_("或组"), max_length=10, default="a",
                             help_text=_("同组条件满足其一即可，不同组须全部满足"))
    label = models.CharField(_("指标名称"), max_length=100)
    metric = models.CharField(_("指标"), max_length=50)
    operator = models.CharField(_("比较"), max_length=2, blank=True)
    threshold = models.CharField(_("阈值"), max_length=30, blank=True, validators=[validate_decimal_text])
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["criterion", "order", "id"]
        verbose_name = _("判定条件")
        verbose_name_plural = _("判定条件")

    def __str__(self):
        return f"{self.label} {self.operator} {self.threshold}{self.unit}"

    def _edition(self):
        return self.criterion.edition

    def clean(self):
        errors = {}
        if self.metric not in engine.METRICS:
            errors["metric"] = _("未知指标“%(m)s”。") % {"m": self.metric}
        kind = engine.METRICS.get(self.metric, {}).get("kind")
        if self.criterion_id and self.criterion.role == CriterionRole.INDICATOR:
            pass                      # an indicator's condition names what is measured; its bands compare
        elif kind in ("bool", "judgment"):
            # a yes/no or judgment condition compares nothing
            if self.operator or self.threshold:
                errors["operator"] = _("“是/否”和判断类条件不需要比较方式和阈值。")
        else:
            if self.operator not in engine.OPERATORS:
                errors["operator"] = _("未知比较符“%(op)s”，可用：%(ops)s。") % {
                    "op": self.operator, "ops": "、".join(engine.OPERATORS)}
            if self.threshold == "" and not (self.params or {}).get("threshold_ref"):
                errors["threshold"] = _("请填写阈值。")
        if errors:
            raise ValidationError(errors)

    def to_spec(self):
        return engine.ConditionSpec(group=self.group, label=self.label, metric=self.metric, operator=self.operator,
                                    threshold=self.threshold or None, unit=self.unit, params=dict(self.params or {}))
