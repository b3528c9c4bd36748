from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.models.choices import (BadRecordKind, CertificationKind, IPStatus, IPType, StandardRole,
                                        SystemKind, Taxonomy)
from jinhu_portal.forms import CrispyMixin, ParentBoundForm

from . import engine
from .metrics import FIGURES, LEVELS, RANK_SCOPES, STANDARD_LEVELS
from .models import Condition, Criterion, Edition, StaffJudgment, Tier
from .models.editions import CriterionRole, validate_decimal_text

# ---------------------------------------------------------------------------------------------
# Chinese words for the registry's codes. The edition editor offers metrics, operators and the
# parameters staff set by these words only; no code (operating_revenue, >=, cagr) reaches the page.
# ---------------------------------------------------------------------------------------------

#: How the notice words each comparison; "" is the yes/no (and staff-judgment) condition.
_OPERATOR_WORDS = {">=": _("不低于（以上，含）"), ">": _("超过（不含）"), "<=": _("不高于（以下，含）"),
                   "<": _("低于、不足（不含）"), "==": _("等于"), "!=": _("不等于")}
YES = _("是（无需比较）")
OPERATOR_LABELS = {"": YES, **{op: _OPERATOR_WORDS.get(op, word) for op, word in engine.OPERATORS.items()}}
METRIC_LABELS = {code: spec["label"] for code, spec in engine.METRICS.items()}
YES_NO_KINDS = ("bool", "judgment")

METHOD_LABELS = {"arithmetic_mean": _("逐年增长率的算术平均"), "cagr": _("年均复合增长率"),
                 "mean_of_ratios": _("各年比率的平均"), "ratio_of_sums": _("各年合计数之比")}
#: Which methods each averaging metric knows (metrics.py: m_avg_growth, _avg_ratio).
METHODS_OF = {"avg_growth": ("arithmetic_mean", "cagr"),
              "avg_operating_margin": ("mean_of_ratios", "ratio_of_sums"),
              "avg_rd_intensity": ("mean_of_ratios", "ratio_of_sums")}
_LEVEL_WORDS = {"enterprise": _("企业级（标准）"), "county": _("县级"), "city": _("市级"), "province": _("省级"),
                "industry": _("行业级（标准）"), "national": _("国家级"), "international": _("国际级")}
MIN_LEVEL_LABELS = {code: _LEVEL_WORDS.get(code, code) for code in STANDARD_LEVELS}
DENOMINATOR_LABELS = {code: FIGURES[code] for code in ("operating_revenue", "main_business_revenue")}
TIED_LABELS = {"none": _("不限"), "any_product": _("须对应主导产品"), "this_product": _("须对应本产品")}
KIND_LABELS = {**dict(BadRecordKind.choices), **dict(CertificationKind.choices), **dict(SystemKind.choices)}

#: Parameters staff set on a condition, each with its own Chinese input; every other parameter of
#: a condition is kept exactly as it was and shown read-only (param_notes).
EDITABLE_PARAMS = ("window", "method", "figure", "denominator", "scope", "min_level", "taxonomy", "province")

PARAM_LABELS = {
    "window": _("年数（近n年）"), "method": _("计算方法"), "figure": _("财务指标"), "denominator": _("占比的分母"),
    "scope": _("排名范围"), "min_level": _("最低级别"), "taxonomy": _("所属名录"), "province": _("注册省份"),
    "types": _("知识产权类型"), "statuses": _("知识产权状态"), "tied": _("与主导产品对应"), "kinds": _("记录类别"),
    "roles": _("参与方式"), "tier": _("已获认定层级"), "threshold_ref": _("比较对象"), "when": _("适用条件"),
}
_VALUE_LABELS = {
    "method": METHOD_LABELS, "figure": FIGURES, "denominator": FIGURES, "scope": RANK_SCOPES,
    "min_level": MIN_LEVEL_LABELS, "taxonomy": dict(Taxonomy.choices), "types": dict(IPType.choices),
    "statuses": dict(IPStatus.choices), "tied": TIED_LABELS, "kinds": KIND_LABELS,
    "roles": dict(StandardRole.choices), "tier": dict(Tier.choices), "threshold_ref": METRIC_LABELS,
}


def _word(key, value):
    return str(_VALUE_LABELS.get(key, {}).get(value, value))


def _guard_text(guard):
    metric = guard.get("metric", "")
    label = guard.get("label") or METRIC_LABELS.get(metric, _("条件"))
    unit = guard.get("unit", engine.METRICS.get(metric, {}).get("unit", ""))
    words = engine.OPERATORS.get(guard.get("operator", ""))
    if not words:
        return str(label)
    return f"{label}{words}{guard.get('threshold', '')}{unit}"


def param_text(key, value):
    """One parameter in Chinese, e.g. 年数（近n年）：近3年; 知识产权类型：发明专利、实用新型专利."""
    name = PARAM_LABELS.get(key, _("其他参数"))
    if key == "window":
        return str(_("近%(n)s年") % {"n": value})
    if key == "when":
        shown = "；".join(_guard_text(g) for g in value or ()) + str(_("时适用"))
    elif isinstance(value, (list, tuple)):
        shown = "、".join(_word(key, v) for v in value)
    else:
        shown = _word(key, value)
    return f"{name}：{shown}"


def param_notes(params, skip=()):
    return [param_text(k, v) for k, v in (params or {}).items() if k not in skip]


def describe_condition(condition):
    """A condition as the edition table shows it: 主营业务收入 不低于 2000万元（…）."""
    params = condition.params or {}
    if condition.metric == "judgment":
        head = f"{condition.label}（{_('人工判断')}）"
    elif engine.METRICS.get(condition.metric, {}).get("kind") == "bool" or not condition.operator:
        head = f"{condition.label}：{_('是')}"
    else:
        words = engine.OPERATORS.get(condition.operator, condition.operator)
        target = METRIC_LABELS.get(params["threshold_ref"], "") if params.get("threshold_ref") else \
            f"{condition.threshold}{condition.unit}"
        head = f"{condition.label} {words} {target}"
    notes = param_notes(params, skip=("threshold_ref",))
    return head + (f"（{'；'.join(notes)}）" if notes else "")


class LabelledChoiceField(forms.ChoiceField):
    """A choice among codes, offered by their Chinese labels only: the options' values are the
    labels as well, so no code reaches the page; cleaning gives the code back (a code posted as
    such is accepted too)."""

    def __init__(self, labels, *, blank=None, **kwargs):
        self.labels = {code: str(label) for code, label in labels.items()}
        self.codes = {label: code for code, label in self.labels.items()}
        head = [("", blank)] if blank is not None else []
        super().__init__(choices=head + [(label, label) for label in self.labels.values()], **kwargs)

    def prepare_value(self, value):
        return self.labels.get(value, value)

    def to_python(self, value):
        value = super().to_python(value)
        return self.codes.get(value, value)

    def valid_value(self, value):
        return value in self.labels


class CloneForm(CrispyMixin, forms.Form):
    submit_label = _("复制为新版本")
    year = forms.IntegerField(label=_("新版本年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, edition, **kwargs):
        self.edition = edition
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Edition.objects.filter(tier=self.edition.tier, year=year, status="draft").exists():
            raise ValidationError(_("%(year)s年已有该层级的草稿版本，请直接编辑。"), params={"year": year})
        return year


OPERATOR_WORDS = {op: word for op, word in engine.OPERATORS.items()}
WORD_OPERATORS = {word: op for op, word in OPERATOR_WORDS.items()}
BAND_KEYS = ("points", "operator", "edge", "label", "notice", "reach")


class BandsField(forms.CharField):
    """A scored indicator's bands, one a line: 分值｜比较｜边界值｜名称｜通知原文｜如何达到 (the last band
    leaves 比较 and 边界值 empty: every other case).  Comparisons are written in words (不低于、不高于…)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("分档"))
        kwargs.setdefault("help_text", _("每行一档，由高分到低分：分值｜比较（不低于、不高于、超过、低于）｜边界值｜名称｜"
                                         "通知原文｜如何达到（可省略）；最后一档比较和边界值留空，表示其余情形"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                import json
                value = json.loads(value)
            except ValueError:
                return value
        lines = []
        for b in value or ():
            parts = [str(b.get("points", "")), OPERATOR_WORDS.get(b.get("operator") or "", ""),
                     str(b.get("edge") or ""), b.get("label", ""), b.get("notice", ""), b.get("reach", "")]
            while parts and parts[-1] == "" and len(parts) > 5:
                parts.pop()
            lines.append("｜".join(parts))
        return "\n".join(lines)

    def to_python(self, value):
        value = super().to_python(value)
        bands = []
        for n, line in enumerate((value or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            parts += [""] * (len(BAND_KEYS) - len(parts))
            points, word, edge, label, notice, reach = parts[:6]
            if word and word not in WORD_OPERATORS:
                raise ValidationError(_("第%(n)s档的比较方式“%(w)s”无效，可用：%(ok)s。"),
                                      params={"n": n, "w": word, "ok": "、".join(WORD_OPERATORS)})
            try:
                validate_decimal_text(points)
                if word:
                    validate_decimal_text(edge)
            except ValidationError:
                raise ValidationError(_("第%(n)s档的分值或边界值不是数字。"), params={"n": n})
            band = {"points": points, "operator": WORD_OPERATORS.get(word, ""), "edge": edge or None,
                    "label": label, "notice": notice}
            if reach:
                band["reach"] = reach
            bands.append(band)
        return bands


class CriterionForm(ParentBoundForm):
    parent_field = "edition"

    class Meta:
        model = Criterion
        fields = ["code", "variant", "scope", "order", "text", "reading", "overridable",
                  "role", "dimension", "max_points", "bands"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "reading": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"bands": BandsField}

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, parent=parent, **kwargs)
        variants = [("", _("各类别共用"))] + [(code, name) for code, name in (parent.variants or {}).items()]
        if self.instance.variant and self.instance.variant not in parent.variants:
            variants.append((self.instance.variant, self.instance.variant))
        self.fields["variant"] = forms.ChoiceField(label=_("类别"), choices=variants, required=False)
        self.fields["role"].required = False      # a form that does not send it keeps a pass/fail rule
        self.helper.form_tag = False
        self.helper.inputs = []
        self.helper.layout = Layout(
            Div(Div("code", css_class="col-6 col-md-2"), Div("variant", css_class="col-6 col-md-3"),
                Div("scope", css_class="col-6 col-md-3"), Div("order", css_class="col-6 col-md-2"),
                Div(Field("overridable"), css_class="col-12 col-md-2 pt-md-4"), css_class="row g-2"),
            "text", "reading",
            Div(Div("role", css_class="col-6 col-md-3"), Div("dimension", css_class="col-6 col-md-3"),
                Div("max_points", css_class="col-6 col-md-2"), css_class="row g-2"),
            "bands")

    def clean_role(self):
        return self.cleaned_data.get("role") or CriterionRole.RULE

    def clean_bands(self):
        return self.cleaned_data.get("bands") or []


class ConditionForm(forms.ModelForm):
    """One condition of a criterion. Metric and operator are chosen by their Chinese labels; the
    parameters staff set have their own inputs (shown for the metrics that read them); any other
    parameter is kept as it was. A yes/no or judgment condition has no comparison and no threshold."""

    metric = LabelledChoiceField(METRIC_LABELS, blank=_("请选择指标"), label=_("指标"), error_messages={
        "required": _("请选择指标。"), "invalid_choice": _("指标“%(value)s”不存在。")})
    operator = LabelledChoiceField(OPERATOR_LABELS, label=_("比较"), required=False, error_messages={
        "invalid_choice": _("比较方式“%(value)s”无效，请从列表中选择。")})

    param_window = forms.IntegerField(label=PARAM_LABELS["window"], min_value=1, max_value=10, required=False)
    param_method = LabelledChoiceField(METHOD_LABELS, blank=_("默认"), label=PARAM_LABELS["method"], required=False)
    param_figure = LabelledChoiceField(FIGURES, blank=_("默认（营业收入）"), label=PARAM_LABELS["figure"],
                                       required=False)
    param_denominator = LabelledChoiceField(DENOMINATOR_LABELS, blank=_("默认（营业收入）"),
                                            label=PARAM_LABELS["denominator"], required=False)
    param_scope = LabelledChoiceField(RANK_SCOPES, blank=_("默认（国内）"), label=PARAM_LABELS["scope"], required=False)
    param_min_level = LabelledChoiceField(MIN_LEVEL_LABELS, blank=_("不限"), label=PARAM_LABELS["min_level"],
                                          required=False)
    param_taxonomy = LabelledChoiceField(dict(Taxonomy.choices), blank=_("请选择"), label=PARAM_LABELS["taxonomy"],
                                         required=False)
    param_province = forms.CharField(label=PARAM_LABELS["province"], max_length=20, required=False,
                                     help_text=_("默认：江苏"))

    class Meta:
        model = Condition
        fields = ["group", "label", "metric", "operator", "threshold", "unit"]
        labels = {"group": _("或组"), "label": _("显示名称")}
        help_texts = {"group": ""}
        widgets = {"threshold": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial_metric = self.instance.metric if self.instance.pk else ""
        self.initial_params = dict(self.instance.params or {}) if self.instance.pk else {}
        for key in EDITABLE_PARAMS:
            if key in self.initial_params:
                self.fields[f"param_{key}"].initial = self.initial_params[key]
        self.fields["label"].required = False
        self.fields["label"].widget.attrs["placeholder"] = _("默认同指标")
        for field in self.fields.values():   # compact rows: a condition fits on one line of a wide screen
            small = "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {small}".strip()

    # what the template needs -------------------------------------------------------------------
    def current_metric(self):
        if self.is_bound:
            return self.fields["metric"].to_python(self["metric"].data) or ""
        return self.initial_metric

    def is_yes_no(self):
        return engine.METRICS.get(self.current_metric(), {}).get("kind") in YES_NO_KINDS

    def param_fields(self):
        """(bound field, whether the chosen metric reads it, key) for every editable parameter."""
        reads = engine.METRICS.get(self.current_metric(), {}).get("params", ())
        return [(self[f"param_{key}"], key in reads, key) for key in EDITABLE_PARAMS]

    def kept_notes(self):
        """The parameters this form keeps as they were, in Chinese."""
        return param_notes(self.initial_params, skip=EDITABLE_PARAMS)

    # validation --------------------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        metric = data.get("metric")
        if not metric:
            return data
        spec = engine.METRICS[metric]
        params = self._params(metric, data)
        indicator = self.instance.criterion_id and self.instance.criterion.role == "indicator"
        if indicator:
            pass                      # a scored indicator's condition names what is measured; bands compare
        elif spec["kind"] in YES_NO_KINDS:
            # a yes/no or judgment condition compares nothing: whatever the row still holds is dropped
            data["operator"], data["threshold"] = "", ""
        else:
            if not data.get("operator") and "operator" not in self.errors:
                self.add_error("operator", _("请选择比较方式。"))
            if not data.get("threshold") and not params.get("threshold_ref") and "threshold" not in self.errors:
                self.add_error("threshold", _("请填写阈值。"))
        if not data.get("label"):
            data["label"] = spec["label"]
        if not data.get("unit") and not self.instance.pk:
            data["unit"] = spec["unit"]
        self.instance.params = params
        return data

    def _params(self, metric, data):
        reads = engine.METRICS[metric]["params"]
        params = dict(self.initial_params)
        if metric != self.initial_metric:
            params = {k: v for k, v in params.items() if k in reads or k in ("when", "threshold_ref")}
        for key in EDITABLE_PARAMS:
            if key not in reads:
                continue
            value = data.get(f"param_{key}")
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = value
        allowed = METHODS_OF.get(metric)
        if params.get("method") and allowed and params["method"] not in allowed:
            self.add_error("param_method", _("该指标可用的计算方法：%(m)s。") % {
                "m": "、".join(str(METHOD_LABELS[m]) for m in allowed)})
        if params.get("min_level") and metric != "standard_count" and params["min_level"] not in LEVELS:
            self.add_error("param_min_level", _("该指标的级别只能是县级、市级、省级、国家级或国际级。"))
        return params


class BaseConditionFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def save_new(self, form, commit=True):
        """A new condition goes after the criterion's others (the engine orders them by `order`)."""
        taken = [f.instance.order for f in self.initial_forms] or [-1]
        form.instance.order = max(taken) + 1 + len(self.new_objects)
        return super().save_new(form, commit=commit)


ConditionFormSet = forms.inlineformset_factory(Criterion, Condition, form=ConditionForm,
                                               formset=BaseConditionFormSet, extra=1, can_delete=True)


def metric_info():
    """For the editor's script: per metric label, whether it is yes/no, its unit and which parameters it reads."""
    return {spec["label"]: {"yesno": spec["kind"] in YES_NO_KINDS, "unit": spec["unit"],
                            "params": [p for p in spec["params"] if p in EDITABLE_PARAMS]}
            for spec in engine.METRICS.values()}


class JudgmentForm(CrispyMixin, forms.ModelForm):
    submit_label = _("保存判断")
    met = forms.TypedChoiceField(label=_("判断结论"), choices=[("1", _("符合")), ("0", _("不符合"))],
                                 coerce=lambda v: v == "1", widget=forms.RadioSelect)

    class Meta:
        model = StaffJudgment
        fields = ["tier", "year", "code", "product", "met", "reason", "evidence"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "tier": forms.HiddenInput,
                   "year": forms.HiddenInput, "code": forms.HiddenInput, "product": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The file is stored under a random name, so the name given may be long: clean_evidence
        # shortens the name kept instead of refusing the file.
        self.fields["evidence"].max_length = None

    def clean_evidence(self):
        from .uploads import check_evidence, stored_name

        f = self.cleaned_data.get("evidence")
        if f and hasattr(f, "content_type"):
            check_evidence(f)
            # The view keeps the upload's name as evidence_name: cleaned, and short enough for the column.
            f.name = stored_name(f.name, StaffJudgment._meta.get_field("evidence_name").max_length)
            self.instance.evidence_name = f.name
        return f


class RunForm(CrispyMixin, forms.Form):
    submit_label = _("开始评价")
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    tiers = forms.MultipleChoiceField(label=_("层级（不选则全部）"), choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
