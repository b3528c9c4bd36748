"""Services forms: each refuses bad input with a Chinese message on the field at fault."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from criteria.uploads import check_evidence, clean_name, extension_of, stored_name
from enterprises.models import Enterprise, PoolStatus
from enterprises.models.choices import MemberUnit
from jinhu_portal.forms import CrispyMixin
from jinhu_portal.roles import Role, role_of
from jinhu_portal.templatetags.portal_format import person_name

from . import services
from .models import Link, LinkKind, Visit, VisitFile

# --- 挂钩帮扶 links and visits -----------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VISIT_FILE_TYPES = {"jpg", "jpeg", "png", "pdf"}
VISIT_FILE_LABEL = "jpg、png、pdf"
VISIT_FILE_MAX_BYTES = 10 * 1024 * 1024
VISIT_FILE_MAX_COUNT = 10
User = get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name, with their role and unit or town, so two 张伟 are told apart."""

    def label_from_instance(self, user):
        scope = getattr(user, "scope", None)
        where = ""
        if scope is not None:
            where = scope.get_member_unit_display() if scope.member_unit else (scope.town.name if scope.town_id else "")
        role = role_of(user)
        parts = [str(Role(role).label)] if role else []
        if where:
            parts.append(where)
        return f"{person_name(user)}（{'，'.join(parts)}）" if parts else person_name(user)


def _people():
    return services.link_people().select_related("scope__town")


def _check_link(form, data):
    """End not before start; a department link names its unit (the person's own unit when left empty)."""
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts and "ends_on" not in form.errors:
        form.add_error("ends_on", _("挂钩结束日期不能早于开始日期。"))
    if data.get("kind") == LinkKind.DEPARTMENT and not data.get("member_unit"):
        person = data.get("person")
        unit = getattr(getattr(person, "scope", None), "member_unit", "") if person else ""
        if unit:
            data["member_unit"] = unit
            if isinstance(form, forms.ModelForm):
                form.instance.member_unit = unit
        else:
            form.add_error("member_unit", _("部门挂钩须选择所在部门。"))
    return data


class LinkCreateForm(CrispyMixin, forms.Form):
    person = PersonChoiceField(label=gettext_lazy("挂钩人"), queryset=User.objects.none(),
                               error_messages={"required": gettext_lazy("请选择挂钩人。")})
    enterprises = forms.ModelMultipleChoiceField(
        label=gettext_lazy("挂钩企业"), queryset=Enterprise.objects.none(),
        help_text=gettext_lazy("可一次选择多家培育库企业（按住 Ctrl 或 ⌘ 多选）"),
        error_messages={"required": gettext_lazy("请至少选择一家挂钩企业。"),
                        "invalid_choice": gettext_lazy("所选企业不在培育库中或不在可选范围内。")})
    kind = forms.ChoiceField(label=gettext_lazy("挂钩类型"), choices=LinkKind.choices)
    member_unit = forms.ChoiceField(label=gettext_lazy("所在部门"), required=False,
                                    choices=[("", "---------"), *MemberUnit.choices],
                                    help_text=gettext_lazy("部门挂钩时填写；留空则取挂钩人所在成员单位"))
    starts_on = forms.DateField(label=gettext_lazy("挂钩开始日期"), widget=DATE_WIDGET,
                                error_messages={"required": gettext_lazy("请填写挂钩开始日期。"),
                                                "invalid": gettext_lazy("挂钩开始日期格式不正确。")})
    ends_on = forms.DateField(label=gettext_lazy("挂钩结束日期"), widget=DATE_WIDGET, required=False,
                              help_text=gettext_lazy("留空表示长期挂钩"),
                              error_messages={"invalid": gettext_lazy("挂钩结束日期格式不正确。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()
        self.fields["enterprises"].queryset = (Enterprise.objects.filter(pool_status=PoolStatus.IN_POOL)
                                               .select_related("town").order_by("town__order", "name"))
        self.fields["enterprises"].label_from_instance = lambda firm: f"{firm.name}（{firm.town.name}）"
        self.fields["enterprises"].widget.attrs["size"] = 12

    def clean(self):
        data = _check_link(self, super().clean())
        person, firms = data.get("person"), data.get("enterprises")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if person and firms and starts:
            overlapping = Link.objects.filter(person=person, enterprise__in=firms).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=starts))
            if ends:
                overlapping = overlapping.filter(starts_on__lte=ends)
            names = sorted({link.enterprise.name for link in overlapping.select_related("enterprise")})
            if names:
                self.add_error("enterprises", _("%(person)s在该期间已挂钩：%(firms)s。")
                               % {"person": person_name(person), "firms": "、".join(names)})
        return data

    def save(self):
        data = self.cleaned_data
        with transaction.atomic():
            return [Link.objects.create(person=data["person"], enterprise=firm, kind=data["kind"],
                                        member_unit=data["member_unit"] or "", starts_on=data["starts_on"],
                                        ends_on=data["ends_on"]) for firm in data["enterprises"]]


class LinkForm(CrispyMixin, forms.ModelForm):
    """Edit one link (its firm stays)."""

    person = PersonChoiceField(label=gettext_lazy("挂钩人"), queryset=User.objects.none(),
                               error_messages={"required": gettext_lazy("请选择挂钩人。")})

    class Meta:
        model = Link
        fields = ["person", "kind", "member_unit", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = _people()
        if self.instance.person_id:       # a person who left a role still shows on their old links
            people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=self.instance.person_id)).order_by(
                "last_name", "first_name", "username").select_related("scope__town")
        self.fields["person"].queryset = people
        self.fields["starts_on"].error_messages["required"] = _("请填写挂钩开始日期。")

    def clean(self):
        return _check_link(self, super().clean())


class LinkEndForm(CrispyMixin, forms.Form):
    submit_label = gettext_lazy("结束挂钩")
    ends_on = forms.DateField(label=gettext_lazy("挂钩结束日期"), widget=DATE_WIDGET,
                              error_messages={"required": gettext_lazy("请填写挂钩结束日期。"),
                                              "invalid": gettext_lazy("挂钩结束日期格式不正确。")})

    def __init__(self, *args, link, **kwargs):
        kwargs.setdefault("initial", {"ends_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.link = link

    def clean_ends_on(self):
        ends = self.cleaned_data["ends_on"]
        if ends < self.link.starts_on:
            raise ValidationError(_("挂钩结束日期不能早于开始日期（%(d)s）。") % {"d": self.link.starts_on.isoformat()})
        return ends


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def check_visit_file(upload):
    """jpg, png or pdf, at most 10MB, its content what its name says (criteria/uploads.py)."""
    name = clean_name(upload.name)
    if extension_of(name) not in VISIT_FILE_TYPES:
        raise ValidationError(_("文件“%(name)s”不是允许的类型：走访照片或附件只接受 %(allowed)s 文件。")
                              % {"name": name, "allowed": VISIT_FILE_LABEL}, code="bad_extension")
    if upload.size > VISIT_FILE_MAX_BYTES:
        raise ValidationError(_("文件“%(name)s”超过10MB，请压缩后上传。") % {"name": name}, code="too_big")
    return check_evidence(upload)


class VisitForm(CrispyMixin, forms.ModelForm):
    visitor = PersonChoiceField(label=gettext_lazy("走访人"), queryset=User.objects.none(),
                                error_messages={"required": gettext_lazy("请选择走访人。")})
    files = MultipleFileField(label=gettext_lazy("照片或附件（jpg、png、pdf，每个10MB以内，最多10个）"), required=False)

    class Meta:
        model = Visit
        fields = ["enterprise", "visited_on", "visitor", "companions", "topics", "notes"]
        widgets = {"visited_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["enterprise"].queryset = (services.recordable_firms(user).select_related("town")
                                              .order_by("town__order", "name"))
        self.fields["enterprise"].error_messages.update({
            "required": _("请选择走访企业。"), "invalid_choice": _("所选企业不在您可录入走访的范围内。")})
        self.fields["visited_on"].error_messages.update({"required": _("请填写走访日期。"),
                                                         "invalid": _("走访日期格式不正确。")})
        self.fields["topics"].error_messages["required"] = _("请填写走访主题。")
        if role_of(user) in (Role.STAFF, Role.ADMIN):
            self.fields["visitor"].queryset = _people()
            self.fields["visitor"].initial = user.pk
        else:
            del self.fields["visitor"]   # the visitor is the one who records it

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day and day > timezone.localdate():
            raise ValidationError(_("走访日期不能晚于今天。"))
        return day

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > VISIT_FILE_MAX_COUNT:
            raise ValidationError(_("一次最多上传%(n)s个文件。") % {"n": VISIT_FILE_MAX_COUNT})
        errors = []
        for upload in uploads:
            try:
                check_visit_file(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def save(self, commit=True):
        visit = super().save(commit=False)
        if "visitor" not in self.fields:
            visit.visitor = self.user
        stored = []
        try:
            with transaction.atomic():
                visit.save()
                for upload in self.cleaned_data.get("files") or []:
                    row = VisitFile(visit=visit, file=upload, size=upload.size,
                                    original_name=stored_name(upload.name,
                                                              VisitFile._meta.get_field("original_name").max_length))
                    row.save()
                    stored.append(row.file)
        except Exception:
            for f in stored:
                f.storage.delete(f.name)
            raise
        return visit


# --- Trainings, attendance, joint meetings and their decisions ----------------------------------------

from jinhu_portal.forms import DateInput, ParentBoundForm  # noqa: E402

from .models import Attendance, Decision, Meeting, Training  # noqa: E402


class TrainingForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "date", "organiser", "kind"]
        widgets = {"date": DateInput()}


class AttendanceForm(ParentBoundForm):
    """One attendee entered by hand; the training comes from the URL. The same name and mobile number
    twice on one training is refused (the model's unique rule), the mobile checked by Attendance.clean."""

    parent_field = "training"
    submit_label = gettext_lazy("添加")

    class Meta:
        model = Attendance
        fields = ["name", "mobile", "enterprise", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["enterprise"].required = False

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_mobile(self):
        return self.cleaned_data["mobile"].strip()

    def clean(self):
        data = super().clean()
        name, mobile = data.get("name"), data.get("mobile")
        if name and mobile and Attendance.objects.filter(training=self.instance.training, name=name, mobile=mobile) \
                .exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("%(name)s（%(mobile)s）已在本次培训的名单中。") % {"name": name, "mobile": mobile})
        return data


class MemberUnitsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MeetingForm(CrispyMixin, forms.ModelForm):
    attendees = MemberUnitsField(label=gettext_lazy("参会单位"), choices=MemberUnit.choices,
                                 error_messages={"required": gettext_lazy("请至少选择一个参会单位。"),
                                                 "invalid_choice": gettext_lazy("“%(value)s”不是成员单位。")})

    class Meta:
        model = Meeting
        fields = ["date", "title", "attendees", "minutes"]
        widgets = {"date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 8})}

    def clean_attendees(self):
        chosen = set(self.cleaned_data["attendees"])
        return [code for code in MemberUnit.values if code in chosen]   # the list's own order


class DecisionForm(ParentBoundForm):
    """The text of a decision; making it a task (unit and due date) is the workflow's ROUTE step."""

    parent_field = "meeting"

    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class DecisionRouteForm(CrispyMixin, forms.Form):
    submit_label = gettext_lazy("交办")

    unit = forms.ChoiceField(label=gettext_lazy("责任单位"), choices=[("", "---------"), *MemberUnit.choices],
                             error_messages={"required": gettext_lazy("请选择责任单位。")})
    due_date = forms.DateField(label=gettext_lazy("完成期限"), widget=DateInput(),
                               error_messages={"required": gettext_lazy("请填写完成期限。"),
                                               "invalid": gettext_lazy("请填写有效的日期，如2025-06-30。")})
    note = forms.CharField(label=gettext_lazy("交办说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
