"""The Case Status API's bodies, in the agency's shapes (issue 11 section 6, ADR 0041)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from srmt.cases.models import Case
from srmt.cases.public_status import PublicStatus

SUCCESS_MESSAGE = "Case status retrieved successfully."
NOT_FOUND_MESSAGE = "The receipt number was not found."  # unknown and 1367 alike
MALFORMED_MESSAGE = (
    "The receipt number is not valid: it is 3 letters followed by 10 digits, "
    "for example EAC9999103402."
)


def _stamp(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d-%Y %H:%M:%S")


def case_status_body(answer: PublicStatus, case: Case) -> dict[str, Any]:
    """The 200 body. IOE receipts carry no submittedDate or modifiedDate (keys absent);
    `hist_case_status` lists the statuses before the current one, oldest first, or null."""
    status: dict[str, Any] = {"receiptNumber": answer.receipt_number, "formType": answer.form}
    if not answer.receipt_number.startswith("IOE"):
        submitted = dt.datetime.combine(
            case.received_on, dt.time(), tzinfo=timezone.get_current_timezone()
        )
        last_change = case.status_changes.order_by("-changed_at", "-id").first()
        modified = last_change.changed_at if last_change else case.updated_at
        status["submittedDate"] = _stamp(submitted)
        status["modifiedDate"] = _stamp(modified)
    current = answer.current
    earlier = answer.history[:-1]
    status.update(
        {
            "current_case_status_text_en": current.title_en,
            "current_case_status_desc_en": current.description_en,
            "current_case_status_text_es": current.title_es,
            "current_case_status_desc_es": current.description_es,
            "hist_case_status": [
                {
                    "date": step.on.isoformat(),
                    "completed_text_en": step.title_en,
                    "completed_text_es": step.title_es,
                }
                for step in earlier
            ]
            or None,
        }
    )
    return {"message": SUCCESS_MESSAGE, "case_status": status}


def error_body(message: str) -> dict[str, Any]:
    """404 and 422: the success envelope with no case."""
    return {"message": message, "case_status": None}


def fault_body(faultstring: str, errorcode: str) -> dict[str, Any]:
    """401 and 429 come from the gateway in front of the agency's API (Apigee): its fault."""
    return {"fault": {"faultstring": faultstring, "detail": {"errorcode": errorcode}}}


INVALID_TOKEN = fault_body("Invalid access token", "oauth.v2.InvalidAccessToken")
SPIKE_ARREST = fault_body("Spike arrest violation", "policies.ratelimit.SpikeArrestViolation")
QUOTA = fault_body("Rate limit quota violation", "policies.ratelimit.QuotaViolation")
