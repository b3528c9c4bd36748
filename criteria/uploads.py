"""Evidence files are checked by their content, not their name."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
# Magic numbers of the accepted kinds; xlsx and docx are zip containers.
SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"PK\x03\x04": "office"}
OFFICE_NAMES = (".xlsx", ".docx")


def sniff(head):
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def check_evidence(upload):
    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件“%(name)s”超过20MB，请压缩后上传。") % {"name": upload.name})
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None or (kind == "office" and not upload.name.lower().endswith(OFFICE_NAMES)):
        raise ValidationError(_("文件“%(name)s”不是允许的类型（pdf、jpg、png、xlsx、docx），系统按文件内容识别。")
                              % {"name": upload.name})
    return kind
