"""The API says what it takes and what it answers: the OpenAPI schema at /api/schema/ names only
the media types each operation parses and every status it returns, and schemathesis, driving the
WSGI app with examples generated from that schema (as staff and as an anonymous caller), finds no
5xx and no response the schema does not describe."""
import base64

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from tests.factories import EnterpriseFactory, FiscalYearFactory, ProductFactory

SCHEMA_URL = "/api/schema/?format=json"
PASSWORD = "pw-123456"          # UserFactory's


def _schema(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


# --- what the schema declares ------------------------------------------------------------------

def test_every_request_body_is_json_only(client, db):
    for path, item in _schema(client)["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert list(operation["requestBody"]["content"]) == ["application/json"], (method, path)


def test_the_self_assessment_declares_its_errors_in_the_contracts_shape(client, db):
    operation = _schema(client)["paths"]["/api/v1/self-assessment/"]["post"]
    assert set(operation["responses"]) == {"200", "400", "415", "429"}
    for status in ("400", "415", "429"):
        ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Errors"
    errors = _schema(client)["components"]["schemas"]["Errors"]
    assert errors["required"] == ["errors"]
    assert errors["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


@pytest.mark.parametrize("path,method,statuses", [
    ("/api/v1/enterprises/", "get", {"200", "400", "403", "404", "429"}),
    ("/api/v1/enterprises/", "post", {"201", "400", "403", "415", "429"}),
    ("/api/v1/enterprises/{id}/", "get", {"200", "403", "404", "429"}),
    ("/api/v1/enterprises/{id}/", "patch", {"200", "400", "403", "404", "415", "429"}),
    ("/api/v1/enterprises/{id}/", "delete", {"204", "403", "404", "429"}),
    ("/api/v1/enterprises/{id}/assessment/", "get", {"200", "400", "403", "404", "429"}),
    ("/api/v1/declarations/{id}/", "get", {"200", "403", "404", "429"}),
])
def test_operations_declare_the_errors_they_answer(client, db, path, method, statuses):
    assert set(_schema(client)["paths"][path][method]["responses"]) == statuses


def test_a_form_post_to_the_model_api_is_a_415_in_chinese(client, bob, town):
    client.force_login(bob)
    response = client.post("/api/v1/enterprises/", {"name": "甲", "town": town.pk})
    assert response.status_code == 415
    assert "不支持" in response.json()["detail"]


# --- schemathesis against the running app ------------------------------------------------------

#: What "the schema holds" means here: no 5xx, every status, media type, header and body as the
#: schema declares.  (Not "every schema-valid body is accepted": the self-assessment answers 400 to
#: schema-valid data its rules refuse, e.g. a year with no published edition or duplicate years;
#: and the API is lenient with numbers sent as strings, which the schema does not spell out.)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance]
PUBLIC = "/api/v1/self-assessment/"


@pytest.fixture
def wsgi_app():
    """The WSGI app, keeping the test's database connection open between requests (as Django's test
    client does: the request signals would close it, and with it the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(db, published_editions, plan_targets, town, bob):
    """Records for the `{id}` of each path (else every id is a 404); staff `bob` calls by Basic auth."""
    firm = EnterpriseFactory(town=town)
    year = FiscalYearFactory(enterprise=firm, year=2023)
    product = ProductFactory(enterprise=firm)
    from ..factories import VisitFactory

    return {"/api/v1/enterprises/": firm.pk, "/api/v1/fiscal-years/": year.pk, "/api/v1/products/": product.pk,
            "/api/v1/visits/": VisitFactory(enterprise=firm).pk}


def _drive(app, headers, examples, ids=None):
    """Every operation (examples(path) of them per generation mode, positive and negative), each
    response checked against the schema; all failures reported together.  `ids` gives a real
    record's id per path prefix for `{id}`; deletions run last (the firm's last of all, as it takes
    its records with it), so the others find their record."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app).exclude(path="/api/schema/")
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (op.method == "delete", op.path.startswith("/api/v1/enterprises/")))
    failures = []
    for operation in operations:
        count = examples(operation.path)
        if not count:
            continue
        prefix = operation.path.split("{")[0]
        path_parameters = {"id": ids[prefix]} if ids and "{id}" in operation.path and prefix in ids else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @hsettings(max_examples=count, deadline=None, derandomize=True, database=None,
                       phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                pass                      # nothing invalid to send (e.g. no parameters at all)
            except Exception as exc:      # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    return failures


def test_the_api_answers_as_its_schema_says_to_staff_and_to_anonymous_callers(records, wsgi_app):
    token = base64.b64encode(f"bob:{PASSWORD}".encode()).decode()
    staff = _drive(wsgi_app, {"Authorization": f"Basic {token}"},
                   lambda path: 0 if path == PUBLIC else 10, ids=records)
    # The public calculator once (it takes no login); everything else refuses the anonymous caller.
    anonymous = _drive(wsgi_app, {}, lambda path: 12 if path == PUBLIC else 2)
    assert not staff + anonymous, "\n\n".join(staff + anonymous)
