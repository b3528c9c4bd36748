import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_firm_form_shows_its_dates_in_the_pickers_iso_format(client, bob, firm):
    client.force_login(bob)
    html = client.get(reverse("enterprises:update", args=[firm.pk])).content.decode()
    # the Chinese locale's 2012/05/01 would show an empty picker, and saving would erase the date
    assert 'name="founding_date" value="2012-05-01"' in html or 'value="2012-05-01"' in html
