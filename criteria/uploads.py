"""Evidence files: the name's extension must be an accepted kind and the content must be that kind.

Accepted: pdf, jpg/jpeg, png, docx, xlsx. The content is recognised by its first bytes (its magic
number); a docx or xlsx is a zip and must hold `word/document.xml` or `xl/workbook.xml`. So a `.exe`
or `.html` that begins like a PDF is refused, and so is a `.pdf` holding a PNG. The file is stored
under a random name (`upload_to`); the name the user gave is kept in the row, cleaned by
`stored_name`, and is only ever sent back as an attachment.
"""
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

MAX_BYTES = 20 * 1024 * 1024
# Accepted extensions and the kind of content each must hold.
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
# Magic numbers of the accepted kinds; xlsx and docx are zip containers told apart by a member.
SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"PK\x03\x04": "zip"}
ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ALLOWED_LABEL = "pdf、jpg、png、xlsx、docx"
KIND_LABELS = {"pdf": _lazy("PDF文件"), "jpg": _lazy("JPG图片"), "png": _lazy("PNG图片"), "docx": _lazy("Word文档"),
               "xlsx": _lazy("Excel表格"), "zip": _lazy("其他压缩包")}
# Characters no stored name keeps: path separators and what Windows refuses in a file name.
FORBIDDEN = set('/\\:*?"<>|')


def sniff(head):
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def extension_of(name):
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def clean_name(name):
    """The name the user gave, safe to keep and to send back: no directories, no path separators, no
    control or format characters, no leading dots; letters of any script (Chinese ones included),
    digits, spaces and ordinary punctuation stay."""
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for c in name:
        if c.isspace():
            kept.append(" ")
        elif c not in FORBIDDEN and unicodedata.category(c)[0] not in "CZ":
            kept.append(c)
    name = " ".join("".join(kept).split()).lstrip(". ").rstrip(". ")
    return name or _("文件")


def stored_name(name, max_length):
    """The cleaned name, shortened to the column's length with its extension kept."""
    return fit_name(clean_name(name), max_length)


def check_evidence(upload):
    """Refuse a file that is too big, whose extension is not accepted, or whose content is not what
    its extension says; return its kind (pdf, jpg, png, docx, xlsx)."""
    name = clean_name(upload.name)
    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件“%(name)s”超过20MB，请压缩后上传。") % {"name": name}, code="too_big")
    ext = extension_of(name)
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise ValidationError(_("文件“%(name)s”不是允许的类型：只接受 %(allowed)s 文件。")
                              % {"name": name, "allowed": ALLOWED_LABEL}, code="bad_extension")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found == "zip":
        found = _zip_kind(upload)
    if found != expected:
        raise ValidationError(_("文件“%(name)s”不是允许的类型：扩展名为 .%(ext)s，内容却是%(found)s（系统按文件内容识别）。")
                              % {"name": name, "ext": ext, "found": KIND_LABELS.get(found, _("无法识别的内容"))},
                              code="content_mismatch")
    return expected


def _zip_kind(upload):
    """docx or xlsx when the zip holds that format's main part, else zip."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = set()
    finally:
        upload.seek(0)
    return next((kind for kind, member in ZIP_MEMBERS.items() if member in names), "zip")


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
