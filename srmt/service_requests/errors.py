"""Refusals of service request actions, each with a stable code."""

import datetime as dt
from typing import Any

from srmt.core.errors import DomainError
from srmt.quality.payload import assessment_body


class UnknownRequestType(DomainError):
    code = "unknown_type"


class UnknownChannel(DomainError):
    code = "unknown_channel"


class ReceiptNumberRequired(DomainError):
    code = "receipt_number_required"


class InvalidRequester(DomainError):
    code = "invalid_requester"


class InvalidDescription(DomainError):
    code = "invalid_description"


class InvalidUrgency(DomainError):
    code = "invalid_urgency"


class InvalidResponse(DomainError):
    code = "invalid_response"


class FormLetterWarning(InvalidResponse):
    """The response tells the customer nothing new (the new-information check, ADR 39) and
    the writer gave no reason to send it anyway; `assessment` says why, sentence by sentence.
    Resubmit with `override_reason` to send it."""

    code = "form_letter_warning"
    http_status = 409

    @property
    def extensions(self) -> dict[str, Any]:
        """The assessment, as POST .../responses/assess answers it."""
        return {"assessment": assessment_body(self.extra["assessment"])}


class RequestClosed(DomainError):
    code = "request_closed"
    http_status = 409


class ReasonRequired(DomainError):
    code = "reason_required"


class InvalidTransfer(DomainError):
    code = "invalid_transfer"


class InvalidDuplicate(DomainError):
    code = "invalid_duplicate"


class InvalidAssignee(DomainError):
    code = "invalid_assignee"


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    http_status = 422


class StaleVersion(DomainError):
    code = "precondition_failed"
    http_status = 412


# --- expedites (service_requests.expedites) -----------------------------------------------


class ExpediteDetailsRequired(DomainError):
    code = "expedite_details_required"


class InvalidExpedite(DomainError):
    code = "invalid_expedite"


class CaseRequired(DomainError):
    code = "case_required"


class ExpediteNotAvailable(DomainError):
    code = "expedite_not_available"


class AlreadyDecided(DomainError):
    code = "already_decided"
    http_status = 409


class InvalidAttachment(DomainError):
    code = "invalid_attachment"


class TooManyAttachments(DomainError):
    code = "too_many_attachments"
    http_status = 409


# --- repeats (service_requests.repeats) ---------------------------------------------------


class InvalidRepeat(DomainError):
    code = "invalid_repeat"


class PossibleRepeat(DomainError):
    """Likely repeats exist and the caller did not say what to do; `candidates` lists them."""

    code = "possible_repeat"
    http_status = 409

    @property
    def candidates(self) -> list[Any]:
        return list(self.extra.get("candidates", []))

    @property
    def extensions(self) -> dict[str, Any]:
        """Extra members of the problem details: the candidates, as the API shows them."""
        return {
            "case_repeat_count": self.extra.get("case_repeat_count", 0),
            "candidates": [
                {
                    "reference": sr.reference,
                    "status": sr.status,
                    "type": sr.type.code,
                    "office": sr.office.code,
                    "created_at": _utc(sr.created_at),
                    "closed_at": _utc(sr.closed_at) if sr.closed_at else None,
                    "repeat_count": sr.repeat_count,
                }
                for sr in self.candidates
            ],
        }


def _utc(value: dt.datetime) -> str:
    """As the API shows every datetime: UTC with a Z."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class RequesterOutsideUnitedStates(DomainError):
    """Customers outside the U.S. are referred (service_requests.referrals), not given an SR."""

    code = "refer_to_international_office"
    http_status = 422


class UnknownRedirectTopic(DomainError):
    code = "unknown_redirect_topic"


class RedirectTopicRequired(DomainError):
    code = "redirect_topic_required"


class UnknownTemplate(InvalidResponse):
    """The template named is not offered for this request (or does not exist)."""

    code = "unknown_template"


class UnfilledVariable(InvalidResponse):
    """A response's text still holds a template placeholder ({{ name }})."""

    code = "unfilled_variable"

    def __init__(self, message: str, *, field: str | None, variables: list[str]) -> None:
        super().__init__(message, field=field)
        self.variables = variables
        self.extensions = {"variables": variables}
