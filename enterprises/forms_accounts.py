"""Self-registration of an enterprise account: a user plus (when new) its firm, saved atomically."""
import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jinhu_portal.forms import CrispyMixin
from jinhu_portal.roles import Role
from enterprises.services import assign_role

from .models import Enterprise, PoolStatus, Town
from .validators import validate_uscc

_NAME_NOISE = re.compile(r"\s+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")"})


def same_firm_name(a, b):
    """Names as typed differ in spaces and in full- or half-width brackets; nothing else is forgiven."""
    def norm(s):
        return _NAME_NOISE.sub("", s or "").translate(_FULLWIDTH)

    return norm(a) == norm(b)


# Django 5.2's zh_Hans catalogue lacks some validator messages (the minimum length one reads in English),
# so the registration page words them itself, by the validators' error codes.
PASSWORD_MESSAGES = {
    "password_too_short": _("密码太短，至少需要 %(min_length)d 个字符。"),
    "password_too_similar": _("密码与%(verbose_name)s过于相似。"),
    "password_too_common": _("密码太常见，请换一个不易被猜到的密码。"),
    "password_entirely_numeric": _("密码不能全部为数字。"),
}


def chinese_password_errors(error):
    out = []
    for item in error.error_list:
        message = PASSWORD_MESSAGES.get(item.code)
        out.append(ValidationError(message, code=item.code, params=item.params) if message else item)
    return out


class RegistrationForm(CrispyMixin, UserCreationForm):
    submit_label = _("提交注册")

    error_messages = {
        "password_mismatch": _("确认密码：两次输入的密码不一致。"),
    }

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18,
                           help_text=_("18位，最后一位为校验位"))
    firm_name = forms.CharField(label=_("企业名称"), max_length=100)
    town = forms.ModelChoiceField(label=_("所属镇（街道、开发区）"), queryset=Town.objects.all(),
                                  empty_label=_("请选择"))
    contact_person = forms.CharField(label=_("联系人"), max_length=30)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False,
                             help_text=_("填写后，审核结果和提醒也会发送到该邮箱"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    field_order = ["username", "password1", "password2", "uscc", "firm_name", "town",
                   "contact_person", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password1"].label = _("密码")
        self.fields["password2"].label = _("确认密码")
        self.fields["password2"].help_text = _("请再次输入密码")
        self.existing_enterprise = None

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, chinese_password_errors(error))

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("用户名“%(name)s”已被注册，请换一个用户名。"), code="duplicate_username",
                                  params={"name": username})
        return username

    def clean_uscc(self):
        value = self.cleaned_data["uscc"].strip().upper()
        validate_uscc(value)
        return value

    def clean(self):
        cleaned = super().clean()
        code, name = cleaned.get("uscc"), cleaned.get("firm_name")
        if code and name:
            existing = Enterprise.objects.filter(uscc=code).first()
            if existing and not same_firm_name(existing.name, name):
                self.add_error("uscc", ValidationError(
                    _("统一社会信用代码“%(code)s”已登记为其他企业名称，与填写的企业名称不一致，"
                      "请核对或联系县工信局工作人员。"), code="uscc_name_mismatch", params={"code": code}))
            self.existing_enterprise = existing
        return cleaned

    def save(self, commit=True):
        """Create the inactive user, bind it to its firm (creating the firm when new); all or nothing."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                enterprise = Enterprise.objects.select_for_update().filter(uscc=data["uscc"]).first()
                if enterprise is None:
                    enterprise = Enterprise.objects.create(
                        uscc=data["uscc"], name=data["firm_name"].strip(), town=data["town"],
                        contact_person=data["contact_person"], contact_phone=data["phone"],
                        pool_status=PoolStatus.NONE)
                elif not same_firm_name(enterprise.name, data["firm_name"]):
                    raise _NameMismatch
                user = super().save(commit=False)
                user.is_active = False
                user.first_name = data["contact_person"][:150]
                user.email = data.get("email") or ""
                user.save()
                assign_role(user, Role.ENTERPRISE, enterprise=enterprise)
                user.scope.phone = data["phone"]
                user.scope.save(update_fields=["phone"])
        except (IntegrityError, _NameMismatch):
            # A concurrent registration took the username or the USCC between clean() and save().
            self.add_error(None, _("注册信息已被他人同时使用，请核对用户名和统一社会信用代码后重新提交。"))
            return None
        self.enterprise = enterprise
        return user


class _NameMismatch(Exception):
    pass
