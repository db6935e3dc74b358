"""The placeholder syntax, the catalogue check and the pure rendering: table-driven, and
hypothesis for the rule that a placeholder is never replaced by a blank."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmt.response_templates.diff import word_diff
from srmt.response_templates.rendering import render, unfilled
from srmt.response_templates.variables import (
    BY_WRITER,
    CATALOGUE,
    NAMES,
    PLACEHOLDER,
    format_date,
    format_months,
    placeholders,
    unknown_variables,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("No variables.", []),
        ("{{ reference }}", ["reference"]),
        ("{{reference}} and {{   form }}", ["reference", "form"]),
        ("{{ form }} {{ reference }} {{ form }}", ["form", "reference"]),
        ("{{ Form }} {{ form-name }} { form } {{}}", []),
    ],
)
def test_placeholders_in_order_of_first_use(body: str, expected: list[str]) -> None:
    assert placeholders(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Dear customer, {{ customer_name }} {{ due_date }}", []),
        ("{{ customer_nam }}", ["customer_nam"]),
        ("{{ receipt }} and {{ receipt }} and {{ colour }}", ["receipt", "colour"]),
        ("{{ Customer_Name }}", ["{{ Customer_Name }}"]),
        ("{{ form-name }}", ["{{ form-name }}"]),
        ("{{}}", ["{{}}"]),
        ("{ form } {form}", []),
    ],
)
def test_unknown_variables_named_as_written(body: str, expected: list[str]) -> None:
    assert unknown_variables(body) == expected


def test_catalogue() -> None:
    assert [v.name for v in CATALOGUE] == [
        "customer_name",
        "reference",
        "receipt_number",
        "form",
        "form_name",
        "filed_on",
        "case_status",
        "office_name",
        "office_contact",
        "published_processing_time",
        "case_inquiry_date",
        "next_step",
        "today",
        "action_taken",
        "case_details",
        "due_date",
    ]
    assert {"action_taken", "case_details"} == BY_WRITER
    assert all(PLACEHOLDER.fullmatch("{{ %s }}" % name) for name in NAMES)  # noqa: UP031


@pytest.mark.parametrize(
    ("body", "values", "text", "missing"),
    [
        ("Hello {{ customer_name }}.", {"customer_name": "Ana"}, "Hello Ana.", ()),
        ("{{customer_name}}/{{ customer_name }}", {"customer_name": "Ana"}, "Ana/Ana", ()),
        ("Form {{ form }}.", {}, "Form {{ form }}.", ("form",)),
        ("Form {{form}}.", {"form": "   "}, "Form {{ form }}.", ("form",)),
        ("Form {{ form }}.", {"form": ""}, "Form {{ form }}.", ("form",)),
        (
            "{{ case_details }} {{ form }} {{ case_details }}",
            {"form": "I-485"},
            "{{ case_details }} I-485 {{ case_details }}",
            ("case_details",),
        ),
        # A value is written as given: no placeholder inside a value is filled in turn.
        ("{{ form }}", {"form": "{{ reference }}", "reference": "SR-1"}, "{{ reference }}", ()),
    ],
)
def test_render(body: str, values: dict[str, str], text: str, missing: tuple[str, ...]) -> None:
    rendered = render(body, values)
    assert (rendered.text, rendered.missing, rendered.complete) == (text, missing, not missing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("All written.", []),
        ("Left {{ case_details }} here", ["{{ case_details }}"]),
        ("{{x}} {{ Y }} {{x}}", ["{{x}}", "{{ Y }}"]),
        ("Braces { like } this are fine", []),
    ],
)
def test_unfilled(text: str, expected: list[str]) -> None:
    assert unfilled(text) == expected


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (dt.date(2026, 12, 4), "en", "December 4, 2026"),
        (dt.date(2026, 12, 4), "es", "4 de diciembre de 2026"),
        (dt.date(2027, 1, 15), "es", "15 de enero de 2027"),
        (dt.date(2027, 1, 15), "fr", "January 15, 2027"),
    ],
)
def test_dates_per_language(day: dt.date, language: str, expected: str) -> None:
    assert format_date(day, language) == expected


@pytest.mark.parametrize(
    ("months", "language", "expected"),
    [
        (8.5, "en", "8.5 months"),
        (8.5, "es", "8,5 meses"),
        (1.0, "en", "1 month"),
        (1.0, "es", "1 mes"),
        (12.0, "es", "12 meses"),
    ],
)
def test_processing_time_per_language(months: float, language: str, expected: str) -> None:
    assert format_months(months, language) == expected


names = st.sampled_from(sorted(NAMES))
words = st.text(st.characters(codec="utf-8", exclude_characters="{}"), max_size=12)


@given(
    parts=st.lists(st.one_of(names.map(lambda n: ("var", n)), words.map(lambda w: ("txt", w)))),
    values=st.dictionaries(names, st.one_of(st.just(""), st.just("  "), words)),
)
def test_a_placeholder_is_never_replaced_by_a_blank(
    parts: list[tuple[str, str]], values: dict[str, str]
) -> None:
    body = "".join("{{ %s }}" % v if kind == "var" else v for kind, v in parts)  # noqa: UP031
    rendered = render(body, values)
    used = [v for kind, v in parts if kind == "var"]
    blank = [n for n in dict.fromkeys(used) if not values.get(n, "").strip()]
    assert list(rendered.missing) == blank
    assert unfilled(rendered.text) == ["{{ %s }}" % n for n in blank]  # noqa: UP031
    for name in set(used) - set(blank):
        assert values[name].strip() in rendered.text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a b", "a b", [("same", "a b")]),
        ("a b", "a c", [("same", "a "), ("removed", "b"), ("added", "c")]),
        ("{{ form }} x", "{{ form }} x y", [("same", "{{ form }} x"), ("added", " y")]),
        ("{{ form }}", "{{ filed_on }}", [("removed", "{{ form }}"), ("added", "{{ filed_on }}")]),
        ("", "new", [("added", "new")]),
    ],
)
def test_word_diff(old: str, new: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.op, s.text) for s in word_diff(old, new)] == expected
