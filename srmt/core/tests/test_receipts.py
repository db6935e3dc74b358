"""Receipt numbers: accepted spellings normalise to one canonical form; the rest is refused."""

from __future__ import annotations

import pytest

from srmt.core.errors import InvalidReceiptNumber
from srmt.core.receipts import normalize_receipt_number, receipt_prefix


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EAC2190012345", "EAC2190012345"),
        ("eac2190012345", "EAC2190012345"),
        ("eac-219-001-2345", "EAC2190012345"),
        (" EAC 2190012345 ", "EAC2190012345"),
        ("WAC\t21-90012345\n", "WAC2190012345"),
        ("ioe 0912345678", "IOE0912345678"),
        ("Lin--2190012345", "LIN2190012345"),
    ],
)
def test_accepted_spellings_normalise_to_the_canonical_form(raw: str, expected: str) -> None:
    # when
    result = normalize_receipt_number(raw)
    # then
    assert result == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "EAC219001234",  # 9 digits
        "EAC21900123456",  # 11 digits
        "EA2190012345",  # 2 letters
        "EACX190012345",  # letter among the digits
        "1AC2190012345",
        "EAC.2190012345",  # dots are not separators
        "EAC/2190012345",
        "ÉAC2190012345",
        "EAC２１９００１２３４５",  # full-width digits
    ],
)
def test_malformed_receipt_numbers_are_refused_with_a_stable_code(raw: str) -> None:
    # when
    with pytest.raises(InvalidReceiptNumber) as excinfo:
        normalize_receipt_number(raw)
    # then
    assert excinfo.value.code == "invalid_receipt_number"
    assert excinfo.value.field == "receipt_number"
    assert excinfo.value.message == (
        "A receipt number is 3 letters followed by 10 digits, for example EAC2190012345."
    )


def test_receipt_prefix_is_the_first_three_letters() -> None:
    assert receipt_prefix("MSC2190012345") == "MSC"
