"""The OpenAPI schema: generated without warnings, committed as openapi.yaml, served."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from srmt.api.tests.conftest import client_for


def test_the_schema_validates_without_warnings():
    out = StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)  # raises on warnings

    assert out.getvalue().startswith("openapi: 3.0.3\n")


def test_problem_responses_are_documented():
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    post = schema["paths"]["/api/v1/service-requests/"]["post"]

    # 200: a customer abroad is referred and no request is opened (a `referral` body);
    # 409: a likely repeat needs the caller's choice
    assert sorted(post["responses"]) == [
        "200",
        "201",
        "400",
        "401",
        "403",
        "409",
        "413",
        "415",
        "422",
        "429",
    ]
    assert post["responses"]["422"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


def test_schema_and_docs_are_served_to_staff(tier2):
    client, user = tier2
    client.force_login(user)  # the docs page is for a signed-in browser

    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_schema_and_docs_need_authentication(reference):
    anonymous = client_for(None)

    assert anonymous.get("/api/schema/").status_code == 401
    docs = anonymous.get("/api/docs/")  # a page: sign in first
    assert (docs.status_code, docs["Location"]) == (302, "/staff/login/?next=/api/docs/")
