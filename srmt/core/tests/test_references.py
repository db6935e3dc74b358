"""Public references: SR-XXXX-XXXX in Crockford's alphabet without look-alike letters."""

from __future__ import annotations

import re

from srmt.core.references import ALPHABET, new_reference, normalize_reference


def test_alphabet_is_crockford_base32_without_look_alikes() -> None:
    assert ALPHABET == "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert len(set(ALPHABET)) == 32
    assert set("ILOU") & set(ALPHABET) == set()


def test_new_reference_has_the_public_format() -> None:
    # when
    references = [new_reference() for _ in range(200)]
    # then
    pattern = re.compile(r"^SR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
    assert [r for r in references if not pattern.match(r)] == []
    assert len(set(references)) == 200


def test_new_reference_takes_a_prefix() -> None:
    reference = new_reference("AP")
    assert reference[:3] == "AP-"
    assert len(reference) == 12


def test_normalize_reference_trims_and_upper_cases() -> None:
    assert normalize_reference("  sr-7kq2-m9xd ") == "SR-7KQ2-M9XD"
    assert normalize_reference("") == ""
