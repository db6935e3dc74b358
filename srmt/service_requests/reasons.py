"""System reasons in the reader's language (ADR 0015).

A reason the system writes is stored as a stable code with its parameters
(StatusChange.reason_code, .reason_params) and rendered when read, in the reader's language;
`reason` keeps the English text for search, exports and rows written before codes existed.
A reason a person typed has no code and is shown as typed. The flag of a request transferred
too often is stored the same way (ServiceRequest.flag_reason_code, .flag_reason_params, and
its English in .flag_reason). Routing reasons come from administrators' rules, not from
code: both languages are rendered when the request is routed and stored
(ServiceRequest.routing_reason / routing_reason_es).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from srmt.core.bilingual import in_language
from srmt.service_requests.choices import ResponseKind

if TYPE_CHECKING:
    from srmt.offices.routing import RoutingDecision
    from srmt.service_requests.models import ServiceRequest, StatusChange

ROUTED = "routed"  # params: rule (code), reason_es (the rule's Spanish explanation, filled)
RESPONSE_SENT = "response_sent"  # params: kind (initial, follow_up, final)
ASSIGNED = "assigned"  # params: user (username)
REPEAT_MERGED = "repeat_merged"  # params: ref (the request merged into)
PROTECTED_CASE = "protected_case"  # params: office (the unit the request moved to)
# A flag (ServiceRequest.flag_reason_code). params: count (transfers), limit
# (SRMT_TRANSFER_FLAG_AFTER then), from_office, to_office (codes of the last transfer)
TRANSFERRED_TOO_OFTEN = "transferred_too_often"

# Codes whose text is a gettext template filled with the parameters.
TEMPLATES = {
    RESPONSE_SENT: gettext_noop("%(kind)s sent"),
    ASSIGNED: gettext_noop("Assigned to %(user)s"),
    REPEAT_MERGED: gettext_noop("Repeat contact merged into %(ref)s"),
    PROTECTED_CASE: gettext_noop(
        "The case is now protected by 8 U.S.C. 1367: moved to %(office)s, which works such cases"
    ),
    TRANSFERRED_TOO_OFTEN: gettext_noop(
        "Transferred %(count)s times (more than %(limit)s); last %(from_office)s -> %(to_office)s."
    ),
}
CODES = frozenset({ROUTED, *TEMPLATES})


def render(code: str, params: Mapping[str, Any], language: str) -> str:
    """The text of a system reason in `language` ("" for an unknown code or missing
    parameters: callers then show the stored English)."""
    if code == ROUTED:  # rendered when routed; English is the stored `reason`
        return in_language("", str(params.get("reason_es", "")), language)
    template = TEMPLATES.get(code)
    if template is None:
        return ""
    with translation.override(language):
        values = {name: str(value) for name, value in params.items()}
        if code == RESPONSE_SENT:
            if values.get("kind") not in ResponseKind.values:
                return ""
            values["kind"] = str(ResponseKind(values["kind"]).label)
        try:
            return gettext(template) % values
        except (KeyError, TypeError, ValueError):
            return ""


def english(code: str, params: Mapping[str, Any]) -> str:
    """The English text stored in `reason` when the row is written (whatever the writer's
    language)."""
    assert code in TEMPLATES, code
    return render(code, params, "en")


def status_change_reason(change: StatusChange, language: str | None = None) -> str:
    """Why the request moved, for a reader of `language` (the active language by default).
    Staff-typed reasons and rows written before codes existed: the stored text as is."""
    language = language or translation.get_language() or "en"
    if not change.reason_code:
        return change.reason
    return render(change.reason_code, change.reason_params or {}, language) or change.reason


def flag_reason(sr: ServiceRequest, language: str | None = None) -> str:
    """Why the request is flagged, for a reader of `language` (the active language by
    default). Flags written before codes existed: the stored English as is."""
    language = language or translation.get_language() or "en"
    if not sr.flag_reason_code:
        return sr.flag_reason
    return render(sr.flag_reason_code, sr.flag_reason_params or {}, language) or sr.flag_reason


def routed_params(decision: RoutingDecision) -> dict[str, str]:
    """The parameters of the first status change: the rule and its Spanish reason."""
    return {"rule": decision.rule, "reason_es": decision.reason_es[:1000]}


def routing_reason(sr: ServiceRequest, language: str | None = None) -> str:
    """Why the request went where it did, for a reader of `language`: English when there is
    no Spanish text (requests routed before ADR 0015, rules nobody translated)."""
    language = language or translation.get_language() or "en"
    return in_language(sr.routing_reason, sr.routing_reason_es, language)
