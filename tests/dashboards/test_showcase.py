"""典型宣传: the public sees published cases only, never a private figure or contact; staff write,
upload a JPG or PNG picture and publish."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dashboards.models import ShowcaseEntry
from enterprises.models import Level, RecognitionKind as K
from tests.factories import EnterpriseFactory, FiscalYearFactory, RecognitionFactory


def image(fmt="PNG", name="p.png"):
    buffer = BytesIO()
    Image.new("RGB", (8, 6), "blue").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


@pytest.fixture
def private_firm(town):
    firm = EnterpriseFactory(town=town, name="金湖精密机械有限公司", contact_phone="13912345678",
                             contact_person="张联系", address="金湖县工业园区88号")
    FiscalYearFactory(enterprise=firm, year=2023)           # 营业收入 3000.00 万元
    return firm


def entry(firm, published, title, kind=K.PROVINCE_GIANT, year=2023, **extra):
    recognition = RecognitionFactory(enterprise=firm, kind=kind, level=Level.PROVINCE, year=year)
    return ShowcaseEntry.objects.create(enterprise=firm, recognition=recognition, title=title,
                                        case_text="第一段：深耕细分市场。\n\n第二段：<script>alert(1)</script>",
                                        picture=image(), published=published, **extra)


@pytest.fixture
def entries(private_firm, other_firm):
    return entry(private_firm, True, "精密制造的十年"), entry(other_firm, False, "尚未发布的案例", kind=K.CITY_GIANT)


def test_anonymous_visitors_see_published_cases_only(client, entries, django_assert_max_num_queries):
    published, draft = entries
    with django_assert_max_num_queries(4):
        html = client.get(reverse("dashboards:showcase")).content.decode()
    assert published.title in html and draft.title not in html
    assert "省级专精特新小巨人 · 2023年" in html
    assert reverse("dashboards:showcase_picture", args=[published.pk]) in html
    detail = client.get(reverse("dashboards:showcase_detail", args=[published.pk]))
    assert detail.status_code == 200
    picture = client.get(reverse("dashboards:showcase_picture", args=[published.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture["X-Content-Type-Options"] == "nosniff"


def test_an_unpublished_case_and_its_picture_are_404_for_the_public_and_the_leader(client, carol, bob, entries):
    _published, draft = entries
    for user in (None, carol):
        if user:
            client.force_login(user)
        assert client.get(reverse("dashboards:showcase_detail", args=[draft.pk])).status_code == 404
        assert client.get(reverse("dashboards:showcase_picture", args=[draft.pk])).status_code == 404
    client.force_login(bob)
    preview = client.get(reverse("dashboards:showcase_detail", args=[draft.pk])).content.decode()
    assert 'id="unpublished-badge"' in preview and "未发布" in preview


def test_the_public_page_shows_no_private_figure_or_contact_of_the_firm(client, entries, private_firm):
    published, _draft = entries
    pages = client.get(reverse("dashboards:showcase")).content.decode() + \
        client.get(reverse("dashboards:showcase_detail", args=[published.pk])).content.decode()
    assert private_firm.name in pages and private_firm.town.name in pages
    for secret in (private_firm.uscc, "13912345678", "张联系", "金湖县工业园区88号", "3000", "3,000"):
        assert secret not in pages
    assert "&lt;script&gt;" in pages and "<script>alert" not in pages      # the case text is escaped
    assert "<p>第一段：深耕细分市场。</p>" in pages


def test_the_list_filters_by_year_and_kind_and_ignores_values_it_does_not_know(client, private_firm, other_firm):
    entry(private_firm, True, "二〇二三年的案例", year=2023)
    entry(other_firm, True, "二〇二四年的市级案例", kind=K.CITY_GIANT, year=2024)
    url = reverse("dashboards:showcase")
    html = client.get(url, {"year": "2024"}).content.decode()
    assert "二〇二四年的市级案例" in html and "二〇二三年的案例" not in html
    html = client.get(url, {"kind": "province_giant"}).content.decode()
    assert "二〇二三年的案例" in html and "二〇二四年的市级案例" not in html
    html = client.get(url, {"year": "abc", "kind": "<b>"}).content.decode()
    assert "二〇二三年的案例" in html and "二〇二四年的市级案例" in html


def form_data(firm, recognition, **extra):
    return {"enterprise": firm.pk, "recognition": recognition.pk, "title": "专精特新之路",
            "case_text": "案例正文", "picture_caption": "生产车间", **extra}


@pytest.mark.parametrize("upload,message", [
    (image("GIF", "p.gif"), "不是允许的类型：只接受 jpg、png 图片"),
    (image("PNG", "p.jpg"), "的内容不是JPG图片"),
    (SimpleUploadedFile("p.png", b"not an image at all"), "请上传有效图片"),
])
def test_a_picture_that_is_not_a_jpg_or_png_is_refused_in_chinese(client, bob, private_firm, upload, message):
    recognition = RecognitionFactory(enterprise=private_firm, kind=K.CITY_GIANT, year=2024)
    client.force_login(bob)
    response = client.post(reverse("dashboards:showcase_create"),
                           {**form_data(private_firm, recognition), "picture": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShowcaseEntry.objects.exists()


def test_a_picture_over_five_megabytes_is_refused(client, bob, private_firm, monkeypatch):
    from dashboards import showcase_forms

    monkeypatch.setattr(showcase_forms, "PICTURE_MAX_BYTES", 10)
    recognition = RecognitionFactory(enterprise=private_firm, kind=K.CITY_GIANT, year=2024)
    client.force_login(bob)
    response = client.post(reverse("dashboards:showcase_create"),
                           {**form_data(private_firm, recognition), "picture": image()})
    assert "超过5MB" in response.content.decode()


def test_a_recognition_of_another_firm_is_refused(client, bob, private_firm, other_firm):
    recognition = RecognitionFactory(enterprise=other_firm, kind=K.CITY_GIANT, year=2024)
    RecognitionFactory(enterprise=private_firm, kind=K.CITY_GIANT, year=2024)
    client.force_login(bob)
    response = client.post(reverse("dashboards:showcase_create"), form_data(private_firm, recognition))
    assert "所选认定荣誉不属于该企业。" in response.content.decode()
    assert not ShowcaseEntry.objects.exists()


def test_staff_write_a_case_with_a_picture_and_publishing_flips_what_the_public_sees(client, bob, private_firm):
    recognition = RecognitionFactory(enterprise=private_firm, kind=K.CITY_GIANT, year=2024)
    client.force_login(bob)
    response = client.post(reverse("dashboards:showcase_create"),
                           {**form_data(private_firm, recognition), "picture": image("JPEG", "车间.jpg")})
    assert response.status_code == 302
    case = ShowcaseEntry.objects.get()
    assert not case.published and case.picture.name.endswith(".jpg")
    client.logout()
    assert client.get(reverse("dashboards:showcase_detail", args=[case.pk])).status_code == 404

    client.force_login(bob)
    assert client.get(reverse("dashboards:showcase_publish", args=[case.pk])).status_code == 405
    client.post(reverse("dashboards:showcase_publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.published and case.published_at
    client.logout()
    assert client.get(reverse("dashboards:showcase_detail", args=[case.pk])).status_code == 200
    picture = client.get(reverse("dashboards:showcase_picture", args=[case.pk]))
    assert picture["Content-Type"] == "image/jpeg"

    client.force_login(bob)
    client.post(reverse("dashboards:showcase_unpublish", args=[case.pk]))
    client.logout()
    assert client.get(reverse("dashboards:showcase_detail", args=[case.pk])).status_code == 404


def test_the_leader_cannot_publish(client, carol, entries):
    _published, draft = entries
    client.force_login(carol)
    assert client.post(reverse("dashboards:showcase_publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert not draft.published
