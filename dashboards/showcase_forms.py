"""Forms staff fill for the quarterly bulletin (notable events) and the public showcase (典型宣传).

Kept apart from dashboards/forms.py (targets and plan periods) so the two capabilities do not edit
the same module. The showcase picture is checked as evidence uploads are (criteria/uploads.py): the
name's extension and the content's first bytes must agree, and only JPG and PNG are taken.
"""
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from criteria.uploads import KIND_LABELS, clean_name, extension_of, sniff
from enterprises.models import Enterprise, Recognition
from jinhu_portal.forms import CrispyMixin, DateInput

from .models import NotableEvent, ShowcaseEntry

PICTURE_MAX_BYTES = 5 * 1024 * 1024
PICTURE_EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png"}
PICTURE_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def picture_kind(fileobj):
    """"jpg" or "png" from the file's first bytes, else None."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    kind = sniff(head)
    return kind if kind in PICTURE_TYPES else None


def check_picture(upload):
    """Refuse a picture over 5 MB, or one that is not a JPG or PNG by both name and content."""
    name = clean_name(upload.name)
    if upload.size > PICTURE_MAX_BYTES:
        raise ValidationError(_("图片“%(name)s”超过5MB，请压缩后上传。") % {"name": name}, code="too_big")
    expected = PICTURE_EXTENSIONS.get(extension_of(name))
    if expected is None:
        raise ValidationError(_("图片“%(name)s”不是允许的类型：只接受 jpg、png 图片。") % {"name": name},
                              code="bad_extension")
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found != expected:
        raise ValidationError(_("图片“%(name)s”的内容不是%(expected)s（系统按文件内容识别），只接受 jpg、png 图片。")
                              % {"name": name, "expected": KIND_LABELS[expected]}, code="content_mismatch")
    return expected


class EventForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = NotableEvent
        fields = ["date", "title", "detail", "enterprise"]
        widgets = {"date": DateInput, "detail": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["enterprise"].help_text = _lazy("可不填；填写后，乡镇专员仅在本镇企业的事项中看到它。")


class RecognitionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.enterprise.name} · {obj.year}年{obj.get_kind_display()}（{obj.get_level_display()}）"


class ShowcaseForm(CrispyMixin, forms.ModelForm):
    recognition = RecognitionChoiceField(label=_lazy("认定荣誉"), queryset=Recognition.objects.none(),
                                         help_text=_lazy("须为所选企业的认定荣誉"))

    class Meta:
        model = ShowcaseEntry
        fields = ["enterprise", "recognition", "title", "case_text", "picture", "picture_caption", "published"]
        widgets = {"case_text": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"case_text": _lazy("按段落书写，空行分段；公开展示，请勿写入营业收入、利润、人员、电话等非公开信息。"),
                      "picture": _lazy("jpg 或 png，不超过5MB"),
                      "published": _lazy("勾选后公开展示（无需登录即可查看）")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(recognitions__isnull=False).distinct() \
            .order_by("name")
        self.fields["recognition"].queryset = Recognition.objects.select_related("enterprise") \
            .order_by("enterprise__name", "-year", "kind")
        self.fields["picture"].widget.attrs["accept"] = ".jpg,.jpeg,.png,image/jpeg,image/png"

    def clean_picture(self):
        picture = self.cleaned_data.get("picture")
        if picture and hasattr(picture, "content_type"):      # a new upload, not the stored file
            kind = check_picture(picture)
            picture.name = f"{uuid.uuid4().hex}.{kind}"
        return picture
