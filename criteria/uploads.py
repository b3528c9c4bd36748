"""Evidence files are checked by their content, not their name."""
from django.core.exceptions import ValidationError
from django.db import transaction
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


def fit_name(name, max_length):
    """The file's name shortened to max_length characters, keeping its extension."""
    if len(name) <= max_length:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) + 1 >= max_length // 2:
        return name[:max_length]
    return f"{stem[:max_length - len(extension) - 1]}.{extension}"


def save_with_file(instance, field_name):
    """Save a model holding a newly uploaded file, so that a save that fails (here or at commit)
    removes the stored file again instead of leaving an orphan on disk."""
    try:
        with transaction.atomic():
            instance.save()
    except Exception:
        stored = getattr(instance, field_name)
        if stored and getattr(stored, "_committed", False):
            stored.storage.delete(stored.name)
        raise
