"""Forms of requests (诉求) and tasks: filing, and one small form per workflow step.

The step forms only gather input; `services.workflow.advance` decides and refuses (its messages name
the field, and the view puts them on the form)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from criteria.uploads import ALLOWED_LABEL, check_evidence, stored_name
from enterprises.models import Enterprise
from enterprises.models.choices import MemberUnit
from jinhu_portal.forms import CrispyMixin
from jinhu_portal.roles import STAFF_ROLES, own_enterprise_id, role_of

from .models import RequestAction, RequestAttachment, ServiceRequest

MAX_ATTACHMENTS = 5
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(_MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RequestFileForm(CrispyMixin, forms.ModelForm):
    """A firm files for itself (no firm field); staff choose the firm they file for."""

    submit_label = gettext_lazy("提交诉求")
    files = _MultipleFileField(label=gettext_lazy("附件"), required=False,
                               help_text=gettext_lazy("可选，最多 %(n)s 个，每个 20MB 以内；只接受 %(allowed)s 文件。")
                               % {"n": MAX_ATTACHMENTS, "allowed": ALLOWED_LABEL})

    class Meta:
        model = ServiceRequest
        fields = ["enterprise", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if role_of(user) in STAFF_ROLES:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        else:
            del self.fields["enterprise"]
            self.instance.enterprise_id = own_enterprise_id(user)
        self.fields["description"].error_messages["required"] = _("请填写诉求内容。")
        self.fields["category"].error_messages["required"] = _("请选择诉求类别。")

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(_("附件最多 %(n)s 个。") % {"n": MAX_ATTACHMENTS})
        errors = []
        for upload in uploads:
            try:
                check_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def attachments(self, request_obj):
        """Unsaved attachment rows for the request just filed."""
        return [RequestAttachment(request=request_obj, file=upload, size=upload.size,
                                  original_name=stored_name(upload.name, 200))
                for upload in self.cleaned_data.get("files") or []]


class StepForm(CrispyMixin, forms.Form):
    """The input of one workflow step; `fields_for` picks which of these a step asks for."""

    unit = forms.ChoiceField(label=gettext_lazy("承办单位"), choices=[("", "---------"), *MemberUnit.choices],
                             required=False)
    due_date = forms.DateField(label=gettext_lazy("办理期限"), required=False, widget=DATE_WIDGET,
                               error_messages={"invalid": gettext_lazy("办理期限须为日期，如 2025-06-30。")})
    answer = forms.CharField(label=gettext_lazy("答复内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = {RequestAction.ROUTE: ("unit", "due_date", "note"), RequestAction.ANSWER: ("answer", "note"),
              RequestAction.CONFIRM: ("note",), RequestAction.REOPEN: ("note",)}
    LABELS = {RequestAction.REOPEN: {"note": gettext_lazy("退回原因")}}

    def __init__(self, *args, action, step_label, due_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        keep = self.FIELDS.get(action, ())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, label in self.LABELS.get(action, {}).items():
            self.fields[name].label = label
        if due_label and "due_date" in self.fields:
            self.fields["due_date"].label = due_label
        self.helper.inputs.clear()
        from crispy_forms.layout import Submit

        self.helper.add_input(Submit("submit", step_label))

    def step_kwargs(self):
        data = self.cleaned_data
        return {name: data.get(name) or ("" if name != "due_date" else None) for name in self.fields}
