"""The new-information check where writers meet it (issue 10, §2; ADR 39).

Every response is assessed before it is sent (add_response). A form letter (the score below
the threshold) is sent only with the writer's reason for sending it anyway; without one it is
refused with FormLetterWarning, carrying the assessment, and nothing is written. The score,
the verdict and the reason are kept on the Response and in the audit event of the sending.
A draft is assessed (assess_draft) by whoever may respond to the request, writing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.quality.payload import score
from srmt.quality.types import Assessment
from srmt.service_requests import core, policies
from srmt.service_requests.assessment import assess_response
from srmt.service_requests.errors import FormLetterWarning, InvalidResponse
from srmt.service_requests.models import Response, ServiceRequest

# As long as Response.form_letter_override_reason may be.
MAX_REASON = 2_000


@dataclass(frozen=True)
class Checked:
    """A response that passed the check: its assessment and, for a form letter, the reason
    the writer gave for sending it anyway (blank otherwise)."""

    assessment: Assessment
    override_reason: str

    def response_fields(self) -> dict[str, Any]:
        """What the Response keeps of the check."""
        return {
            "new_information": self.assessment.new_information,
            "form_letter": self.assessment.form_letter,
            "form_letter_override_reason": self.override_reason,
        }

    def audit_changes(self) -> dict[str, Any]:
        """What the audit event of the sending records of the check."""
        changes: dict[str, Any] = {
            "new_information": score(self.assessment.new_information),
            "form_letter": self.assessment.form_letter,
        }
        if self.override_reason:
            changes["form_letter_override_reason"] = self.override_reason
        return changes


def check_response(
    sr: ServiceRequest, body: str, *, override_reason: str = "", template_code: str = ""
) -> Checked:
    """Assess `body` before it is sent. A form letter without a reason is refused
    (FormLetterWarning, on `override_reason`); a reason given for a response that is not a
    form letter is not needed, and not kept."""
    assessment = assess_response(sr, body, template_code=template_code or None)
    if not assessment.form_letter:
        return Checked(assessment, "")
    reason = (override_reason or "").strip()
    if not reason:
        raise FormLetterWarning(
            _(
                "This response tells the customer nothing new: it reads as a form letter. "
                "Add what is new on their case, or give your reason for sending it anyway."
            ),
            field="override_reason",
            assessment=assessment,
        )
    if len(reason) > MAX_REASON:
        raise InvalidResponse(
            _("Use at most %(max)d characters (this has %(count)d).")
            % {"max": MAX_REASON, "count": len(reason)},
            field="override_reason",
        )
    return Checked(assessment, reason)


def assess_draft(
    sr: ServiceRequest, *, actor: User, body: str, template_code: str = ""
) -> Assessment:
    """The assessment of a response `actor` is writing, as add_response would make it.
    Whoever may respond to the request may ask (policies.require_act), while it is open.
    Writes nothing."""
    policies.require_act(actor, sr, Capability.RESPOND)
    core.require_open(sr)
    text = core.clean_text(body, field="body", error=InvalidResponse)
    return assess_response(sr, text, template_code=template_code or None)


def stored_score(response: Response) -> dict[str, Any] | None:
    """{"score", "form_letter"} as sent; None for a response sent before the check."""
    if response.new_information is None:
        return None
    return {"score": score(response.new_information), "form_letter": bool(response.form_letter)}
