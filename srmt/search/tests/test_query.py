"""What a search box entry is read as: a table of entries and their readings."""

from __future__ import annotations

import pytest

from srmt.search.query import ParsedQuery, parse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ParsedQuery(text="")),
        ("   ", ParsedQuery(text="")),
        ("SR-7KQ2-M9XD", ParsedQuery(text="SR-7KQ2-M9XD", reference="SR-7KQ2-M9XD")),
        (" sr7kq2m9xd ", ParsedQuery(text="sr7kq2m9xd", reference="SR-7KQ2-M9XD")),
        ("rf-ab12-cd34", ParsedQuery(text="rf-ab12-cd34", reference="RF-AB12-CD34")),
        ("EAC2190012345", ParsedQuery(text="EAC2190012345", receipt_number="EAC2190012345")),
        ("eac-219-001-2345", ParsedQuery(text="eac-219-001-2345", receipt_number="EAC2190012345")),
        ("eac 2190012345", ParsedQuery(text="eac 2190012345", receipt_number="EAC2190012345")),
        (" Ana@Example.COM ", ParsedQuery(text="Ana@Example.COM", email="ana@example.com")),
        ("(802) 555-0142", ParsedQuery(text="(802) 555-0142", phone="+18025550142")),
        ("+52 55 1234 5678", ParsedQuery(text="+52 55 1234 5678", phone="+525512345678")),
        ("Ana  Pérez", ParsedQuery(text="Ana Pérez", words=("ana", "pérez"))),
        (
            "passport & !stolen",
            ParsedQuery(text="passport & !stolen", words=("passport", "stolen")),
        ),
        # Not a valid email address, phone number or receipt number: read as words.
        ("ana@", ParsedQuery(text="ana@", words=("ana",))),
        ("12345", ParsedQuery(text="12345", words=("12345",))),
        ("EAC219001234", ParsedQuery(text="EAC219001234", words=("eac219001234",))),
    ],
)
def test_an_entry_is_read_as_every_kind_it_matches(raw: str, expected: ParsedQuery) -> None:
    assert parse(raw) == expected


def test_a_long_entry_is_cut_and_words_are_capped() -> None:
    parsed = parse("word " * 100)
    assert len(parsed.text) == 200
    assert parsed.words == ("word",) * 8
