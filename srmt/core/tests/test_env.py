"""Typed environment helpers: defaults, parsing, *_FILE secrets and loud failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from srmt import env

NAME = "SRMT_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


def test_string_returns_the_default_when_unset_and_the_value_when_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert env.string(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "")
    assert env.string(NAME, "fallback") == ""
    monkeypatch.setenv(NAME, "value")
    assert env.string(NAME, "fallback") == "value"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_boolean_parses_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env.boolean(NAME, default=not expected) is expected


def test_boolean_uses_the_default_when_unset_and_refuses_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert env.boolean(NAME, default=True) is True
    monkeypatch.setenv(NAME, "maybe")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.boolean(NAME)
    assert str(excinfo.value) == "SRMT_TEST_SETTING must be true or false, not 'maybe'."


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), ("-3", -3), ("", 7), (" ", 7)])
def test_integer_parses_or_falls_back(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: int
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env.integer(NAME, 7) == expected


def test_integer_refuses_a_non_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "4.5")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.integer(NAME, 7)
    assert str(excinfo.value) == "SRMT_TEST_SETTING must be a whole number, not '4.5'."


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("300", 300), ("", 7)])
def test_integer_with_a_minimum_takes_it_and_more(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: int
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env.integer(NAME, 7, minimum=1) == expected


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_integer_refuses_less_than_its_minimum(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.integer(NAME, 7, minimum=1)
    assert str(excinfo.value) == f"SRMT_TEST_SETTING must be at least 1, not {raw!r}."


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), ("0.99", 0.99), ("", 0.8)])
def test_decimal_fraction_accepts_values_strictly_between_0_and_1(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: float
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env.decimal_fraction(NAME, 0.8) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "SRMT_TEST_SETTING must be between 0 and 1, not '0'."),
        ("1", "SRMT_TEST_SETTING must be between 0 and 1, not '1'."),
        ("1.5", "SRMT_TEST_SETTING must be between 0 and 1, not '1.5'."),
        ("most", "SRMT_TEST_SETTING must be a number, not 'most'."),
    ],
)
def test_decimal_fraction_refuses_out_of_range_values(
    monkeypatch: pytest.MonkeyPatch, raw: str, message: str
) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.decimal_fraction(NAME, 0.8)
    assert str(excinfo.value) == message


def test_string_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.string_list(NAME, ["a"]) == ["a"]
    assert env.string_list(NAME) == []
    monkeypatch.setenv(NAME, " srmt.example, ,api.srmt.example ,")
    assert env.string_list(NAME, ["a"]) == ["srmt.example", "api.srmt.example"]


def test_file_variant_wins_and_is_stripped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # given
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-env")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))
    # then
    assert env.string(NAME) == "from-file"
    assert env.secret(NAME, required=True, dev_default="dev") == "from-file"


def test_secret_falls_back_in_development_and_fails_loudly_in_production() -> None:
    assert env.secret(NAME, required=False, dev_default="dev-secret") == "dev-secret"
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.secret(NAME, required=True, dev_default="dev-secret")
    assert str(excinfo.value) == (
        "SRMT_TEST_SETTING (or SRMT_TEST_SETTING_FILE) must be set in production."
    )


@pytest.mark.parametrize("value", ["240/minute", "5/s", "1000/hour", "3/day", " 10/m "])
def test_rate_accepts_requests_per_period(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    assert env.rate(NAME, "1/minute") == value.strip()


def test_rate_returns_the_default_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.rate(NAME, "240/minute") == "240/minute"
    monkeypatch.setenv(NAME, "")
    assert env.rate(NAME, "240/minute") == "240/minute"


@pytest.mark.parametrize("value", ["240", "240/fortnight", "many/minute", "-1/minute", "1/ m"])
def test_rate_refuses_anything_else_loudly(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be a number of requests"):
        env.rate(NAME, "1/minute")
