"""Evidence uploads (declaration attachments and staff judgments): the extension must be an accepted
kind and the content must be that kind; the name kept is cleaned; downloads are attachments that
the browser must not sniff."""
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from criteria.models import Attachment, Declaration, Edition, Round, StaffJudgment

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _zip(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


def _xlsx():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


DOCX = _zip("word/document.xml", "word/styles.xml")


@pytest.fixture
def declaration(published_editions, firm, bob, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    round_ = Round.objects.create(title="材料测试批次", kind="admission", tier="county_pool", year=2025,
                                  opens_on=today - datetime.timedelta(days=1),
                                  closes_on=today + datetime.timedelta(days=10),
                                  edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)
    return Declaration.objects.create(round=round_, enterprise=firm, created_by=bob, data={})


def _attach(client, alice, declaration, name, content):
    client.force_login(alice)
    return client.post(reverse("criteria:declaration_step", args=[declaration.pk, "attachments"]),
                       {"file": SimpleUploadedFile(name, content), "purpose": "佐证"}, follow=True)


def _judge(client, bob, firm, name, content):
    client.force_login(bob)
    return client.post(reverse("criteria:judgment_create", args=[firm.pk]),
                       {"tier": "county_pool", "year": "2023", "code": "M3e", "product": "", "met": "1",
                        "reason": "实地核查", "evidence": SimpleUploadedFile(name, content)}, follow=True)


REFUSED = [
    ("setup.exe", PDF),                          # an executable that begins like a PDF
    ("通知.html", PDF),                           # a page that begins like a PDF
    ("报告.PDF.exe", PDF),
    ("执照.pdf", PNG),                            # a PNG named as a PDF
    ("照片.png", JPG),
    ("照片.jpg", PDF),
    ("说明.docx", _zip("xl/workbook.xml")),      # a workbook named as a document
    ("报表.xlsx", DOCX),                         # a document named as a workbook
    ("说明.docx", _zip("readme.txt")),           # any other zip
    ("报表.xlsx", b"PK\x03\x04 not really a zip"),
    ("执照", PDF),                               # no extension at all
]


@pytest.mark.parametrize("name,content", REFUSED)
def test_a_declaration_attachment_whose_name_and_content_disagree_is_refused_naming_the_file(
        client, alice, declaration, name, content):
    html = _attach(client, alice, declaration, name, content).content.decode()
    assert f"文件“{name}”不是允许的类型" in html
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name,content", [("setup.exe", PDF), ("执照.pdf", PNG), ("说明.docx", _zip("readme.txt"))])
def test_a_judgment_evidence_file_whose_name_and_content_disagree_is_refused_naming_the_file(
        client, bob, firm, published_editions, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = str(tmp_path)
    html = _judge(client, bob, firm, name, content).content.decode()
    assert f"文件“{name}”不是允许的类型" in html
    assert not StaffJudgment.objects.exists()


def test_the_refusal_says_what_the_content_is_and_what_is_accepted():
    from criteria.uploads import check_evidence

    with pytest.raises(ValidationError) as mismatch:
        check_evidence(SimpleUploadedFile("执照.pdf", PNG))
    assert "扩展名为 .pdf，内容却是PNG图片" in mismatch.value.messages[0]
    with pytest.raises(ValidationError) as extension:
        check_evidence(SimpleUploadedFile("setup.exe", PDF))
    assert "只接受 pdf、jpg、png、xlsx、docx 文件" in extension.value.messages[0]


def test_every_accepted_kind_is_stored_with_the_kind_its_content_shows(client, alice, declaration):
    files = [("营业执照.pdf", PDF), ("照片.jpg", JPG), ("照片二.JPEG", JPG), ("截图.png", PNG), ("说明.docx", DOCX),
             ("报表.xlsx", _xlsx())]
    for name, content in files:
        _attach(client, alice, declaration, name, content)
    stored = {a.original_name: a.kind for a in Attachment.objects.all()}
    assert stored == {"营业执照.pdf": "pdf", "照片.jpg": "jpg", "照片二.JPEG": "jpg", "截图.png": "png",
                      "说明.docx": "docx", "报表.xlsx": "xlsx"}


def test_a_stored_attachment_name_is_cleaned_keeping_chinese_characters(client, alice, declaration):
    _attach(client, alice, declaration, "..营业执照（副本）<2025>:第1页|a?.pdf", PDF)
    _attach(client, alice, declaration, ".htaccess.png", PNG)
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["htaccess.png", "营业执照（副本）2025第1页a.pdf"]


def test_a_long_unclean_name_is_cleaned_then_shortened_keeping_its_extension(client, alice, declaration):
    name = ".." + "关于申报县级专精特新培育库的说明" * 15 + ".pdf"
    _attach(client, alice, declaration, name, PDF)
    stored = Attachment.objects.get().original_name
    limit = Attachment._meta.get_field("original_name").max_length
    assert len(stored) == limit and stored.endswith(".pdf") and stored.startswith("关于申报")


def test_cleaning_a_name_drops_directories_separators_and_control_characters():
    from criteria.uploads import clean_name

    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\张三\\执照.pdf") == "执照.pdf"
    assert clean_name("执照\x00\x1b[31m\u202egpj.pdf") == "执照[31mgpj.pdf"
    assert clean_name("  ..年报\t2025 .pdf. ") == "年报 2025 .pdf"
    assert clean_name("...") == "文件"


def test_a_judgment_evidence_name_is_cleaned_and_fits_its_column(client, bob, firm, published_editions, settings,
                                                               tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    response = _judge(client, bob, firm, "." + "现场核查记录" * 45 + ".pdf", PDF)
    assert response.status_code == 200
    judgment = StaffJudgment.objects.get()
    limit = StaffJudgment._meta.get_field("evidence_name").max_length
    assert len(judgment.evidence_name) == limit and judgment.evidence_name.startswith("现场核查记录")
    assert judgment.evidence_name.endswith(".pdf") and "现场" not in judgment.evidence.name


def _assert_download_headers(response, filename_part):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and filename_part in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_download_is_an_attachment_the_browser_must_not_sniff(client, bob, declaration, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False    # the view sets the header itself
    attachment = Attachment.objects.create(declaration=declaration, file=SimpleUploadedFile("x", PDF),
                                           original_name="a\r\nSet-Cookie: x=1;.pdf", size=len(PDF), kind="pdf")
    client.force_login(bob)
    response = client.get(reverse("criteria:attachment_download", args=[attachment.pk]))
    _assert_download_headers(response, 'filename="a Set-Cookie x=1;.pdf"')


def test_a_judgment_evidence_download_is_an_attachment_the_browser_must_not_sniff(client, bob, firm, settings,
                                                                                  tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    judgment = StaffJudgment.objects.create(enterprise=firm, tier="county_pool", year=2023, code="M3e", met=True,
                                            reason="实地核查", decided_by=bob, evidence_name="../核查\x07记录.pdf",
                                            evidence=SimpleUploadedFile("x", PDF))
    client.force_login(bob)
    response = client.get(reverse("criteria:judgment_evidence", args=[judgment.pk]))
    _assert_download_headers(response, "filename*=utf-8''%E6%A0%B8%E6%9F%A5%E8%AE%B0%E5%BD%95.pdf")
