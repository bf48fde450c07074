"""The public wing described: /openapi.json covers every public route, and requests
schemathesis generates from it get no 5xx and answers that match their description."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ad_manager.extensions import db
from ad_manager.serving.openapi import openapi_document
from ad_manager.wings import PUBLIC_BLUEPRINTS
from tests.factories import BROWSER, ORIGIN, make_inventory

# Examples per operation and generation mode (more for the decision, which has the
# most to read): the whole run stays well under a minute.
EXAMPLES = 8
DECISION_EXAMPLES = 40
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance,
               response_headers_conformance, response_schema_conformance]


def public_operations(app) -> set[tuple[str, str]]:
    """Give (OpenAPI path, method) of every route of the public wing."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] not in PUBLIC_BLUEPRINTS:
            continue
        methods = set(rule.methods) - {"HEAD"}
        if rule.provide_automatic_options:  # Flask's own OPTIONS answer, not ours
            methods.discard("OPTIONS")
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found |= {(path, method.lower()) for method in methods}
    return found


def test_the_description_is_public_and_sets_no_cookie(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"] == "3.1.0"
    assert response.json["servers"] == [{"url": "http://localhost/"}]
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_every_public_route_is_described_and_nothing_else(app):
    described = {(path, method) for path, item in openapi_document()["paths"].items()
                 for method in item}
    assert described == public_operations(app)
    for path in ("/serve", "/e", "/c/{token}", "/h/{token}", "/embed.js"):
        assert path in openapi_document()["paths"]


@pytest.fixture
def schema(app):
    make_inventory()
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def test_generated_requests_get_no_server_error_and_described_answers(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the description itself, which schemathesis leaves out.
    assert {(op.path, op.method) for op in operations} == public_operations(schema.app) - {
        ("/openapi.json", "get")}
    for operation in operations:
        fuzz(operation, GenerationMode.POSITIVE)
        if len(operation.query) or operation.body:  # path segments can't be sent spoilt
            fuzz(operation, GenerationMode.NEGATIVE)


def fuzz(operation, mode: GenerationMode) -> None:
    """Send EXAMPLES generated requests to one operation and check each answer."""
    # Negative data breaks the description on purpose: only "no 5xx" holds then.
    checks = CONFORMANCE if mode is GenerationMode.POSITIVE else [not_a_server_error]

    @given(case=operation.as_strategy(generation_mode=mode), real_site=st.booleans())
    @settings(max_examples=DECISION_EXAMPLES if operation.path == "/serve" else EXAMPLES,
              deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    def answer(case, real_site):
        if real_site and case.query and "site" in case.query:
            case.query["site"] = "journal"  # a real site: decisions, not only 404s
            case.query.pop("layout", None)
        response = case.call(headers={"User-Agent": BROWSER, "Origin": ORIGIN})
        case.validate_response(response, checks=checks)

    answer()
