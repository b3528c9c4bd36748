from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError


def validate_uscc(value):
    """GB 32100-2015: 18 characters whose last is a check character (python-stdnum does the sum)."""
    try:
        uscc.validate(value)
    except InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”的校验位不正确，请核对最后一位。"),
            code="uscc_checksum", params={"value": value})
    except StdnumError:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”格式不正确，应为18位数字或大写字母。"),
            code="uscc_format", params={"value": value})
