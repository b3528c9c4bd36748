"""An address under /api/ that names nothing answers JSON, as the API's own 404s do, whatever it holds."""
import pytest


@pytest.mark.parametrize("path", [
    "/api/v1/no-such-thing/abc/",
    "/api/v1/service-requests/1/%0A/",          # a line break in a step's name (schemathesis found it)
    "/api/v1/no-such-thing/%0D%0A/x/",
])
def test_an_api_address_that_names_nothing_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}
