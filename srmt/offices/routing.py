"""Where a new service request goes, and why. Pure: facts and rules in, decision out.

Rules are data (offices.models.RoutingRule, loaded as RuleSpec by offices.rules); the first
active rule in position order whose criteria all hold decides. Callers that pass no rules get
the default rule set (offices.default_rules.DEFAULT_RULES), so the function stays pure and usable
without a database. No rule matching at all sends the request to Tier 2 for triage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_noop

from srmt.core.bilingual import in_language
from srmt.offices.choices import RoutingAction, TriState
from srmt.offices.constants import TIER2_OFFICE
from srmt.offices.default_rules import DEFAULT_RULES
from srmt.offices.rule_spec import RuleSpec


@dataclass(frozen=True)
class RoutingFacts:
    """What routing may look at. Derived facts (ZIP office, international office) are
    computed by the caller from reference data, so that route() stays pure."""

    receipt_number: str = ""
    case_office_code: str = ""
    request_type: str = ""
    is_protected: bool = False
    zip_code: str = ""
    zip_state: str = ""
    zip_office_code: str = ""
    zip_match: str = ""
    zip_is_military_mail: bool = False  # APO/FPO/DPO (offices.jurisdiction)
    country: str = "US"
    is_in_us: bool = True
    international_office_code: str = ""

    @property
    def prefix(self) -> str:
        return self.receipt_number[:3]


@dataclass(frozen=True)
class RoutingDecision:
    office_code: str
    rule: str
    reason: str  # English
    facts_used: dict[str, Any] = field(default_factory=dict)
    is_referral: bool = False
    rule_id: int | None = None
    reason_es: str = ""  # Spanish; blank when the rule has no Spanish explanation

    def reason_in(self, language: str) -> str:
        """The reason in `language` (English when there is no Spanish text)."""
        return in_language(self.reason, self.reason_es, language)


NO_RULE = "no_rule_matched"
NO_RULE_REASON = gettext_noop("No routing rule matched; Tier 2 triages it.")
REASON_MAX = 300
# What an explanation may name; filled from the routing facts (fill_explanation).
PLACEHOLDERS = (
    "prefix",
    "office",
    "case_office",
    "zip_code",
    "zip_state",
    "country",
    "request_type",
)


def fill_explanation(template: str, values: dict[str, str]) -> str:
    """An explanation with the facts filled in: one mechanism for every language.
    An unknown placeholder or a stray brace (an administrator's typo) leaves it as written."""
    try:
        text = template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError):
        text = template
    return text[:REASON_MAX]


# criterion name on RuleSpec -> the fact it tests
_FLAG_FACTS: dict[str, Callable[[RoutingFacts], bool]] = {
    "is_protected": lambda f: f.is_protected,
    "has_case_record": lambda f: bool(f.case_office_code),
    "has_receipt_number": lambda f: bool(f.receipt_number),
    "has_zip_code": lambda f: bool(f.zip_code),
    "requester_in_us": lambda f: f.is_in_us,
    "zip_is_military_mail": lambda f: f.zip_is_military_mail,
}


def tri_state(value: str) -> bool | None:
    """A RoutingRule criterion field (any/yes/no) as None/True/False."""
    return None if value == TriState.ANY else value == TriState.YES


def route(
    facts: RoutingFacts, rules: Sequence[RuleSpec] | None = None, *, on: dt.date | None = None
) -> RoutingDecision:
    """The decision of the first rule (by position) that applies on `on` and matches."""
    if rules is None:
        rules = DEFAULT_RULES
    for rule in sorted(rules, key=lambda r: (r.position, r.code)):
        if not rule.applies_on(on) or not _matches(rule, facts):
            continue
        office_code = _target(rule, facts)
        if office_code:
            return _decision(rule, facts, office_code)
    with translation.override("es"):
        reason_es = translation.gettext(NO_RULE_REASON)
    return RoutingDecision(
        TIER2_OFFICE, NO_RULE, NO_RULE_REASON, _used(None, facts), reason_es=reason_es
    )


def _matches(rule: RuleSpec, facts: RoutingFacts) -> bool:
    if rule.receipt_prefixes and facts.prefix not in rule.receipt_prefixes:
        return False
    if rule.request_types and facts.request_type not in rule.request_types:
        return False
    for name, fact in _FLAG_FACTS.items():
        wanted = getattr(rule, name)
        if wanted is not None and wanted != fact(facts):
            return False
    return True


def _target(rule: RuleSpec, facts: RoutingFacts) -> str:
    """The office the rule's action names for these facts ('' when it cannot say)."""
    if rule.action == RoutingAction.FIXED_OFFICE:
        return rule.office_code
    if rule.action == RoutingAction.CASE_OFFICE:
        return facts.case_office_code
    if rule.action == RoutingAction.ZIP_FIELD_OFFICE:
        return facts.zip_office_code
    if rule.action == RoutingAction.INTERNATIONAL_REFERRAL:
        return facts.international_office_code
    return ""


def _used(rule: RuleSpec | None, facts: RoutingFacts) -> dict[str, Any]:
    """The facts the rule looked at (all of them when no rule matched)."""
    used: dict[str, Any] = {}
    if rule is None or rule.receipt_prefixes:
        used["receipt_prefix"] = facts.prefix
    if rule is None or rule.request_types:
        used["request_type"] = facts.request_type
    for name, fact in _FLAG_FACTS.items():
        if rule is None or getattr(rule, name) is not None:
            used[name] = fact(facts)
    if rule is not None and rule.action == RoutingAction.CASE_OFFICE:
        used["case_office"] = facts.case_office_code
    if rule is not None and rule.action == RoutingAction.ZIP_FIELD_OFFICE:
        used.update(zip_code=facts.zip_code, zip_state=facts.zip_state, zip_match=facts.zip_match)
    if rule is not None and rule.action == RoutingAction.INTERNATIONAL_REFERRAL:
        used["country"] = facts.country
    return used


def _decision(rule: RuleSpec, facts: RoutingFacts, office_code: str) -> RoutingDecision:
    values = {
        "prefix": facts.prefix,
        "office": office_code,
        "case_office": facts.case_office_code,
        "zip_code": facts.zip_code,
        "zip_state": facts.zip_state,
        "country": facts.country,
        "request_type": facts.request_type,
    }
    return RoutingDecision(
        office_code=office_code,
        rule=rule.code,
        reason=fill_explanation(rule.explanation, values),
        facts_used=_used(rule, facts),
        is_referral=rule.action == RoutingAction.INTERNATIONAL_REFERRAL,
        rule_id=rule.pk,
        reason_es=fill_explanation(rule.explanation_es, values) if rule.explanation_es else "",
    )
