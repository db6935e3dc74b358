"""Countries: ISO 3166-1 alpha-2 codes from django-countries, named in English and Spanish."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_countries import countries
from hypothesis import given
from hypothesis import strategies as st

from srmt.offices import jurisdiction

# Some of the 249 codes of ISO 3166-1 (the IANA time zone database's iso3166.tab, which the
# literal list this package replaced was copied from, has the same 249).
SOME_CODES = ("US", "MX", "GT", "SV", "IN", "KE", "CN", "PR", "GU", "VI", "AS", "MP", "UM", "SS")


def test_the_package_knows_the_249_codes_of_iso_3166_1() -> None:
    codes = set(countries.countries)
    assert len(codes) == 249
    assert set(SOME_CODES) <= codes
    assert set(jurisdiction.UNITED_STATES) <= codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("MX", "MX"), ("mx", "MX"), (" gt ", "GT"), ("Ke", "KE"), ("", ""), ("  ", "")],
)
def test_a_country_code_is_normalised(raw: str, expected: str) -> None:
    assert jurisdiction.normalize_country(raw) == expected


@pytest.mark.parametrize(
    "raw",
    # not codes, alpha-3 and numeric codes (the package's alpha2() would take them), names
    ["XX", "ZZ", "EU", "UK", "USA", "MEX", "484", "840", "M", "Mexico", "México", "GB-WLS"],
)
def test_anything_but_a_two_letter_iso_code_is_refused(raw: str) -> None:
    with pytest.raises(jurisdiction.InvalidCountryCode) as refused:
        jurisdiction.normalize_country(raw, field="requester.country")
    assert (refused.value.code, refused.value.field) == (
        "invalid_country_code",
        "requester.country",
    )


@given(st.text(max_size=4))
def test_a_country_is_refused_or_a_code_the_package_names(raw: str) -> None:
    try:
        code = jurisdiction.normalize_country(raw)
    except jurisdiction.InvalidCountryCode:
        return
    assert code == "" or (len(code) == 2 and jurisdiction.country_name(code) != code)


@pytest.mark.parametrize(
    ("code", "english", "spanish"),
    [
        ("MX", "Mexico", "México"),
        ("US", "United States of America", "Estados Unidos"),
        ("KE", "Kenya", "Kenia"),
        ("DE", "Germany", "Alemania"),
        ("XX", "XX", "XX"),
        ("", "", ""),
    ],
)
def test_a_country_is_named_in_the_active_language(code: str, english: str, spanish: str) -> None:
    for language, name in (("en", english), ("es", spanish)):
        with translation.override(language):
            assert jurisdiction.country_name(code) == name
