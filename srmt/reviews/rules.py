"""Which review rule holds a response: pure decisions on plain facts (docs/adr/0035).

The caller (service_requests.services.reviews) gathers the facts of a response about to be
sent; `rule_holding` asks the rules in force, lowest priority first, and names the first
that holds it, or None: the response leaves at once. The random rule draws from a hash of
the response's stable id and the rule's seed, never from random(), so the same response is
drawn again the same way (tests, audits, a re-run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from srmt.reviews.choices import RuleKind
from srmt.reviews.models import ReviewRule

COMPLAINT_TYPE = "complaint"
# The draw is a 64-bit number from the hash, compared with share * 2**64.
_DRAW_SPACE = 2**64


@dataclass(frozen=True)
class ResponseFacts:
    """What the rules look at, about one response about to be sent."""

    stable_id: str  # the request's reference and the response's number on it: "SR-...#2"
    request_type: str  # the request type's code
    expedite_denied: bool  # a response on an expedite request whose decision is a denial
    protected_case: bool  # the request is on a case protected by 8 U.S.C. 1367
    repeat_number: int  # 0: not a repeat; n: the n-th repeat request on the same case
    author_on_probation: bool  # the author's probation period runs on the day it is sent
    form_letter_override: bool  # sent despite the new-information check's warning
    on: dt.date  # the day it is sent (which rules are in force)


def draw(stable_id: str, seed: str) -> float:
    """A number in [0, 1) fixed by the id and the seed: SHA-256, first 8 bytes."""
    digest = hashlib.sha256(f"{seed}\x1f{stable_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _DRAW_SPACE


def drawn(stable_id: str, *, seed: str, share: Decimal | float) -> bool:
    """Whether the random rule with this seed and share holds the response."""
    return draw(stable_id, seed) < float(share)


def holds(rule: ReviewRule, facts: ResponseFacts) -> bool:
    """Whether `rule` holds a response with these facts (dates aside: see rule_holding)."""
    kind = rule.kind
    if kind == RuleKind.COMPLAINT:
        return facts.request_type == COMPLAINT_TYPE
    if kind == RuleKind.EXPEDITE_DENIAL:
        return facts.expedite_denied
    if kind == RuleKind.PROTECTED_CASE:
        return facts.protected_case
    if kind == RuleKind.REPEAT:
        return facts.repeat_number >= 2
    if kind == RuleKind.PROBATION:
        return facts.author_on_probation
    if kind == RuleKind.FORM_LETTER:
        return facts.form_letter_override
    if kind == RuleKind.RANDOM:
        return drawn(facts.stable_id, seed=rule.seed, share=rule.share)
    return False


def in_force(rules: Iterable[ReviewRule], on: dt.date) -> list[ReviewRule]:
    """The rules in force on `on` (from inclusive, until exclusive), in the order asked."""
    chosen = [
        r
        for r in rules
        if r.effective_from <= on and (r.effective_until is None or r.effective_until > on)
    ]
    return sorted(chosen, key=lambda r: (r.priority, r.code, r.pk or 0))


def rule_holding(
    facts: ResponseFacts, rules: Iterable[ReviewRule] | None = None
) -> ReviewRule | None:
    """The first rule in force on `facts.on` that holds the response, or None. `rules`
    defaults to every rule in the database."""
    candidates = list(ReviewRule.objects.all()) if rules is None else list(rules)
    for rule in in_force(candidates, facts.on):
        if holds(rule, facts):
            return rule
    return None
