"""The pool roster, on its page and in its XLSX export, lists only the firms a reviewer may see: a town
officer its own town's, the county staff every town's."""
import io

import openpyxl
import pytest
from django.urls import reverse

from criteria.admission.declaring import admit, move_out


@pytest.fixture
def pool(firm, other_firm):
    admit(firm)
    admit(other_firm)
    return firm, other_firm


def export_names(client):
    response = client.get(reverse("criteria:pool_roster_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_town_officers_roster_page_lists_only_its_towns_firms(client, dave, pool):
    client.force_login(dave)
    page = client.get(reverse("criteria:pool_roster")).content.decode()
    assert "甲镇示范企业" in page and "乙镇示范企业" not in page


def test_a_town_officers_roster_export_lists_only_its_towns_firms(client, dave, pool):
    client.force_login(dave)
    assert export_names(client) == ["甲镇示范企业"]


def test_the_county_roster_lists_every_towns_firms_with_those_moved_out_last(client, bob, pool):
    move_out(pool[0], "迁出本县")
    client.force_login(bob)
    assert export_names(client) == ["乙镇示范企业", "甲镇示范企业"]
    page = client.get(reverse("criteria:pool_roster")).content.decode()
    assert "甲镇示范企业" in page and "乙镇示范企业" in page and "迁出本县" in page


def test_a_town_officer_without_a_town_sees_an_empty_roster(client, pool):
    from jinhu_portal.roles import Role

    from ..conftest import _user

    client.force_login(_user("nobody", Role.TOWN_OFFICER))
    assert export_names(client) == []
