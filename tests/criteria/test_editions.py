"""Editions are data staff keep: clone, edit a draft, publish (frozen), retire; bad edits refused."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from criteria.models import Condition, Criterion, Edition, EditionStatus


@pytest.fixture
def county(published_editions):
    return Edition.objects.get(tier="county_pool", year=2022)


def test_fixture_loads_every_tier_published_with_every_row(county):
    assert Edition.objects.published().count() == 8
    assert set(county.criteria.values_list("code", flat=True)) == {
        "M1", "M2", "M3a", "M3b", "M3c", "M3d", "M3e", "M4", "M5", "I1", "I2a", "I2b", "I3", "I4"}
    assert Criterion.objects.filter(edition__status="published").count() == 72


def test_edition_page_shows_the_notice_table(client, bob, county):
    client.force_login(bob)
    html = client.get(reverse("criteria:edition_detail", args=[county.pk])).content.decode()
    assert "年主营业务收入2000万元以上" in html and "制造类" in html and "创新类" in html


def test_clone_copies_every_criterion_into_an_editable_draft(client, bob, county):
    client.force_login(bob)
    response = client.post(reverse("criteria:edition_clone", args=[county.pk]), {"year": 2025})
    draft = Edition.objects.get(tier="county_pool", year=2025)
    assert response.status_code == 302 and draft.status == EditionStatus.DRAFT and draft.cloned_from == county
    assert draft.criteria.count() == county.criteria.count()
    assert Condition.objects.filter(criterion__edition=draft).count() == \
        Condition.objects.filter(criterion__edition=county).count()


def _criterion_post(criterion, **condition):
    conditions = list(criterion.conditions.all())
    data = {"code": criterion.code, "text": criterion.text, "variant": criterion.variant, "scope": criterion.scope,
            "order": criterion.order, "reading": criterion.reading,
            "conditions-TOTAL_FORMS": len(conditions), "conditions-INITIAL_FORMS": len(conditions),
            "conditions-MIN_NUM_FORMS": 0, "conditions-MAX_NUM_FORMS": 1000}
    for i, k in enumerate(conditions):
        values = {"id": k.pk, "group": k.group, "label": k.label, "metric": k.metric, "operator": k.operator,
                  "threshold": k.threshold, "unit": k.unit, "params": "{}" if not k.params else __import__("json").dumps(k.params)}
        if i == 0:
            values.update(condition)
        data.update({f"conditions-{i}-{f}": v for f, v in values.items()})
    return data


def test_staff_raise_a_threshold_of_a_draft(client, bob, county):
    draft = county.clone(2025)
    m1 = draft.criteria.get(code="M1")
    client.force_login(bob)
    response = client.post(reverse("criteria:criterion_edit", args=[m1.pk]), _criterion_post(m1, threshold="3000"))
    assert response.status_code == 302
    assert m1.conditions.order_by("order").first().threshold == "3000"
    assert county.criteria.get(code="M1").conditions.order_by("order").first().threshold == "2000"


def test_a_threshold_that_is_not_a_number_is_refused_naming_the_field(client, bob, county):
    draft = county.clone(2025)
    m1 = draft.criteria.get(code="M1")
    client.force_login(bob)
    response = client.post(reverse("criteria:criterion_edit", args=[m1.pk]), _criterion_post(m1, threshold="两千"))
    assert response.status_code == 200
    assert "阈值“两千”不是数字" in response.content.decode()
    assert m1.conditions.order_by("order").first().threshold == "2000"


def test_an_unknown_operator_is_refused(client, bob, county):
    draft = county.clone(2025)
    m1 = draft.criteria.get(code="M1")
    client.force_login(bob)
    response = client.post(reverse("criteria:criterion_edit", args=[m1.pk]), _criterion_post(m1, operator="=>"))
    assert response.status_code == 200
    assert "比较符“=&gt;”无效" in response.content.decode()
    assert m1.conditions.order_by("order").first().operator == ">="
    with pytest.raises(ValidationError) as exc:
        Condition(criterion=m1, label="x", metric="main_business_revenue", operator="≈", threshold="1").full_clean()
    assert "未知比较符" in str(exc.value)


def test_two_criteria_with_the_same_code_are_refused(client, bob, county):
    draft = county.clone(2025)
    m1 = draft.criteria.get(code="M1")
    client.force_login(bob)
    data = _criterion_post(m1)
    data.update({"conditions-TOTAL_FORMS": 0, "conditions-INITIAL_FORMS": 0})
    response = client.post(reverse("criteria:criterion_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "同一版本中已有相同代码的条目" in response.content.decode()
    assert draft.criteria.filter(code="M1").count() == 1


def test_a_published_edition_refuses_edits_by_any_path(client, bob, county):
    m1 = county.criteria.get(code="M1")
    client.force_login(bob)
    response = client.post(reverse("criteria:criterion_edit", args=[m1.pk]), _criterion_post(m1, threshold="1"),
                           follow=True)
    assert "已发布或已废止，不能修改" in response.content.decode()
    assert m1.conditions.order_by("order").first().threshold == "2000"
    m1.text = "改"
    with pytest.raises(ValidationError):
        m1.save()
    with pytest.raises(ValidationError):
        m1.conditions.first().delete()


def test_publishing_a_second_edition_for_the_same_tier_and_year_is_refused(client, bob, county):
    rival = county.clone(2022)
    client.force_login(bob)
    response = client.post(reverse("criteria:edition_publish", args=[rival.pk]), follow=True)
    assert "已有已发布的版本" in response.content.decode()
    rival.refresh_from_db()
    assert rival.status == EditionStatus.DRAFT


def test_retire_then_publish_replaces_the_edition(client, bob, county):
    rival = county.clone(2022)
    client.force_login(bob)
    client.post(reverse("criteria:edition_retire", args=[county.pk]))
    client.post(reverse("criteria:edition_publish", args=[rival.pk]))
    county.refresh_from_db()
    rival.refresh_from_db()
    assert (county.status, rival.status) == (EditionStatus.RETIRED, EditionStatus.PUBLISHED)


def test_leader_may_read_editions_but_not_publish(client, carol, county):
    draft = county.clone(2025)
    client.force_login(carol)
    assert client.get(reverse("criteria:edition_detail", args=[draft.pk])).status_code == 200
    assert client.post(reverse("criteria:edition_publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


def test_which_edition_judges_which_year(county):
    newer = county.clone(2024)
    newer.publish()
    assert Edition.objects.judging(2020, ["county_pool"]) == []
    assert Edition.objects.judging(2021, ["county_pool"]) == [county]
    assert Edition.objects.judging(2022, ["county_pool"]) == [county]
    assert Edition.objects.judging(2023, ["county_pool"]) == [newer]
