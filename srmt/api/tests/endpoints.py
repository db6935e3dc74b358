"""Every API v1 operation in one table, with a request that would succeed, for table-driven
tests of what all endpoints must refuse (unknown fields and parameters, deep JSON, ...)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import client_for, valid_submission
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_service_request, make_user

PDF = b"%PDF-1.4\n" + b"p" * 64


@dataclass(frozen=True)
class World:
    """An administrator (1367-cleared) and one object of each kind the endpoints act on."""

    client: APIClient
    user: User
    sr: ServiceRequest
    expedite: str  # reference of a pending expedite request
    receipt: str  # a case's receipt number
    attachment_id: int

    def fill(self, path: str) -> str:
        return path.format(
            sr=self.sr.reference,
            expedite=self.expedite,
            receipt=self.receipt,
            attachment=self.attachment_id,
        )


def make_world() -> World:
    user = make_user(role=Role.ADMINISTRATOR, offices=["ESC"], is_1367_cleared=True)
    client = client_for(user)
    sr = make_service_request()
    case = make_case()
    body = valid_submission(
        type="expedite_request",
        receipt_number=case.receipt_number,
        expedite={"criterion": "severe_financial_loss", "justification": "A contract is lost."},
    )
    created = client.post("/api/v1/service-requests/", body, format="json")
    assert created.status_code == 201, created.content
    expedite = created.json()["reference"]
    upload = client.post(
        f"/api/v1/service-requests/{expedite}/attachments/",
        {"file": SimpleUploadedFile("letter.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    return World(client, user, sr, expedite, case.receipt_number, upload.json()["id"])


def case_body() -> dict[str, Any]:
    return {
        "form_type": "I-130",
        "office": "NSC",
        "received_on": "2026-02-03",
        "parties": [{"name": "Ana Pérez", "role": "petitioner"}],
    }


SR = "/api/v1/service-requests/{sr}/"
# (name, method, path, a body that would be accepted) for every JSON write.
JSON_WRITES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("create", "post", "/api/v1/service-requests/", valid_submission()),
    ("edit", "patch", SR, {"urgency": "urgent"}),
    ("respond", "post", SR + "responses/", {"kind": "initial", "body": "We looked at it."}),
    ("assess", "post", SR + "responses/assess", {"body": "We looked at it."}),
    ("note", "post", SR + "notes/", {"body": "Called back."}),
    ("transition", "post", SR + "transitions/", {"to": "in_progress"}),
    ("redirect", "post", SR + "redirect/", {"topic": "visas", "reason": "Not ours."}),
    (
        "decide",
        "post",
        "/api/v1/service-requests/{expedite}/expedite/decision/",
        {"approved": True},
    ),
    ("upsert case", "put", "/api/v1/cases/{receipt}/", case_body()),
]


@functools.cache
def committed_schema() -> dict[str, Any]:
    return yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text("utf-8"))


def documented_statuses(method: str, path: str) -> set[str]:
    """The status codes openapi.yaml documents for `method` on `path`, a path of this
    module's tables ("/api/v1/service-requests/{sr}/") or of the schema's."""

    def shape(p: str) -> str:
        return re.sub(r"\{\w+\}", "{}", p)

    for documented, operations in committed_schema()["paths"].items():
        if shape(documented) == shape(path):
            return set(operations[method.lower()]["responses"])
    raise KeyError(path)


# (name, path) for every GET.
READS: list[tuple[str, str]] = [
    ("list", "/api/v1/service-requests/"),
    ("detail", SR),
    ("responses", SR + "responses/"),
    ("notes", SR + "notes/"),
    ("expedite", "/api/v1/service-requests/{expedite}/expedite/"),
    ("attachments", "/api/v1/service-requests/{expedite}/attachments/"),
    ("download", "/api/v1/service-requests/{expedite}/attachments/{attachment}/"),
    ("criteria", "/api/v1/expedite-criteria/"),
    ("routing explain", "/api/v1/routing/explain"),
    ("redirect topics", "/api/v1/redirect-topics/"),
    ("offices", "/api/v1/offices/"),
    ("forms", "/api/v1/forms/"),
    ("types", "/api/v1/service-request-types/"),
    ("case", "/api/v1/cases/{receipt}/"),
    ("outcome metrics", "/api/v1/metrics/outcomes"),
    ("templates", "/api/v1/templates/"),
    ("rendered template", SR + "templates/acknowledgement"),
]
