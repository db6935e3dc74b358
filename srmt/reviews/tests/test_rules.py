"""The review rules, table-driven: which rule holds which response, on which dates, and the
random share (reproducible, about 5%)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmt.reviews import rules
from srmt.reviews.choices import RuleKind
from srmt.reviews.defaults import DEFAULT_RULES, EFFECTIVE_FROM, RANDOM_SEED, load_default_rules
from srmt.reviews.models import ReviewRule

ON = dt.date(2026, 6, 1)
PLAIN = rules.ResponseFacts(
    stable_id="SR-PLAIN#1",
    request_type="general_case_inquiry",
    expedite_denied=False,
    protected_case=False,
    repeat_number=0,
    author_on_probation=False,
    form_letter_override=False,
    on=ON,
)


def _defaults() -> list[ReviewRule]:
    """The default rules as unsaved rows (pure: no database)."""
    return [
        ReviewRule(
            pk=n,
            code=spec.code,
            kind=spec.kind,
            name_en=spec.name_en,
            name_es=spec.name_es,
            priority=spec.priority,
            share=spec.share,
            seed=spec.seed,
            effective_from=EFFECTIVE_FROM,
        )
        for n, spec in enumerate(DEFAULT_RULES, start=1)
    ]


def _not_drawn(prefix: str) -> str:
    """A stable id the default random rule does not draw."""
    return next(
        f"{prefix}#{n}"
        for n in range(1000)
        if not rules.drawn(f"{prefix}#{n}", seed=RANDOM_SEED, share=Decimal("0.05"))
    )


def _drawn(prefix: str) -> str:
    return next(
        f"{prefix}#{n}"
        for n in range(1000)
        if rules.drawn(f"{prefix}#{n}", seed=RANDOM_SEED, share=Decimal("0.05"))
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        ({"request_type": "complaint"}, "complaint"),
        ({"expedite_denied": True}, "expedite_denial"),
        ({"protected_case": True}, "protected_case"),
        ({"repeat_number": 1}, None),  # the first repeat is not reviewed
        ({"repeat_number": 2}, "repeat"),
        ({"repeat_number": 5}, "repeat"),
        ({"author_on_probation": True}, "probation"),
        ({"form_letter_override": True}, "form_letter"),
        # several hold: the lowest priority names the review (1367 first)
        ({"protected_case": True, "request_type": "complaint"}, "protected_case"),
        ({"author_on_probation": True, "form_letter_override": True}, "form_letter"),
        ({"request_type": "complaint", "repeat_number": 3}, "complaint"),
    ],
)
def test_each_rule_holds_its_responses(change: dict[str, object], expected: str | None) -> None:
    facts = dataclasses.replace(PLAIN, stable_id=_not_drawn("SR-TABLE"), **change)  # type: ignore[arg-type]
    held = rules.rule_holding(facts, _defaults())
    assert (held.code if held else None) == expected


def test_the_random_rule_holds_a_drawn_response_no_other_rule_holds() -> None:
    facts = dataclasses.replace(PLAIN, stable_id=_drawn("SR-RANDOM"))
    held = rules.rule_holding(facts, _defaults())
    assert (held.code if held else None) == "random"
    # a drawn response another rule holds is named by that rule
    complaint = rules.rule_holding(
        dataclasses.replace(facts, request_type="complaint"), _defaults()
    )
    assert (complaint.code if complaint else None) == "complaint"


@pytest.mark.parametrize(
    ("effective_from", "effective_until", "on", "in_force"),
    [
        (dt.date(2026, 6, 1), None, dt.date(2026, 6, 1), True),  # from is inclusive
        (dt.date(2026, 6, 2), None, dt.date(2026, 6, 1), False),  # not yet
        (dt.date(2026, 1, 1), dt.date(2026, 6, 1), dt.date(2026, 6, 1), False),  # until: exclusive
        (dt.date(2026, 1, 1), dt.date(2026, 6, 2), dt.date(2026, 6, 1), True),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 6, 1), False),  # ended
    ],
)
def test_rules_hold_only_while_in_force(
    effective_from: dt.date, effective_until: dt.date | None, on: dt.date, in_force: bool
) -> None:
    rule = ReviewRule(
        pk=1,
        code="complaint",
        kind=RuleKind.COMPLAINT,
        name_en="Complaint",
        name_es="Queja",
        priority=1,
        effective_from=effective_from,
        effective_until=effective_until,
    )
    facts = dataclasses.replace(PLAIN, request_type="complaint", on=on)
    assert (rules.rule_holding(facts, [rule]) is not None) is in_force


def test_a_successor_rule_takes_over_on_its_first_day() -> None:
    old = ReviewRule(
        pk=1,
        code="random",
        kind=RuleKind.RANDOM,
        name_en="Random 5%",
        name_es="Aleatoria 5%",
        priority=1000,
        share=Decimal("0.05"),
        seed="a",
        effective_from=dt.date(2026, 1, 1),
        effective_until=dt.date(2026, 7, 1),
    )
    successor = ReviewRule(
        pk=2,
        code="random",
        kind=RuleKind.RANDOM,
        name_en="Random 100%",
        name_es="Aleatoria 100%",
        priority=1000,
        share=Decimal(1),
        seed="a",
        effective_from=dt.date(2026, 7, 1),
    )
    before = dataclasses.replace(PLAIN, on=dt.date(2026, 6, 30), stable_id=_not_drawn("SR-S"))
    after = dataclasses.replace(before, on=dt.date(2026, 7, 1))
    assert rules.rule_holding(before, [old, successor]) is None
    assert rules.rule_holding(after, [old, successor]) == successor


def test_the_random_share_is_about_five_percent_over_many_ids() -> None:
    ids = [f"SR-{n:08d}#{n % 4 + 1}" for n in range(40_000)]
    share = sum(rules.drawn(i, seed=RANDOM_SEED, share=Decimal("0.05")) for i in ids) / len(ids)
    assert 0.045 < share < 0.055
    # another seed draws other responses, in about the same share
    other = {i for i in ids if rules.drawn(i, seed="another", share=Decimal("0.05"))}
    mine = {i for i in ids if rules.drawn(i, seed=RANDOM_SEED, share=Decimal("0.05"))}
    assert other != mine
    assert 0.045 < len(other) / len(ids) < 0.055


@given(stable_id=st.text(max_size=40), seed=st.text(max_size=20))
def test_the_draw_is_reproducible_and_in_range(stable_id: str, seed: str) -> None:
    first = rules.draw(stable_id, seed)
    assert first == rules.draw(stable_id, seed)
    assert 0 <= first < 1
    assert rules.drawn(stable_id, seed=seed, share=0) is False
    assert rules.drawn(stable_id, seed=seed, share=1) is True


@given(
    stable_id=st.text(max_size=40),
    low=st.decimals(min_value=0, max_value=1, places=4),
    high=st.decimals(min_value=0, max_value=1, places=4),
)
def test_a_larger_share_holds_every_response_a_smaller_one_holds(
    stable_id: str, low: Decimal, high: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    if rules.drawn(stable_id, seed="s", share=low):
        assert rules.drawn(stable_id, seed="s", share=high)


@pytest.mark.django_db
def test_the_default_rules_load_once_and_are_read_in_priority_order() -> None:
    assert load_default_rules() == len(DEFAULT_RULES)
    assert load_default_rules() == 0
    in_force = list(ReviewRule.objects.in_force(ON))
    assert [r.code for r in in_force] == [
        "protected_case",
        "complaint",
        "expedite_denial",
        "repeat",
        "form_letter",
        "probation",
        "random",
    ]
    assert [r.name for r in in_force][:2] == ["Response on a 1367 case", "Response on a complaint"]
    assert ReviewRule.objects.get(code="random").share == Decimal("0.0500")
