"""The identifier of a representative that the case systems and the representative's own
account both carry (issue 11 §2, ADR 42), in one normal form, so that a Form G-28 on file
finds the account it names.

- An attorney: the state (or territory) of the bar and the bar number, written
  `NY-4512345` by the case systems; kept as `bar:NY:4512345`.
- An accredited representative: the EOIR (DOJ) recognition and accreditation number,
  kept as `eoir:12345`.

Letters are upper-cased and spaces, dots and hyphens inside a number dropped, so that
`ny - 451 2345` and `NY-4512345` are the same attorney.
"""

from __future__ import annotations

import re

from srmt.accounts.choices import RepresentativeKind

US_BAR_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
)
NUMBER_MAX_LENGTH = 20
_DROPPED = re.compile(r"[\s.\-]+")
_NUMBER = re.compile(rf"[A-Z0-9]{{1,{NUMBER_MAX_LENGTH}}}")


class InvalidIdentifier(ValueError):
    """Not a bar number with its state, nor an EOIR number."""


def normal_number(number: str) -> str:
    value = _DROPPED.sub("", number or "").upper()
    if not _NUMBER.fullmatch(value):
        raise InvalidIdentifier(number)
    return value


def key_for(kind: str, *, number: str, state: str = "") -> str:
    """The normal form of a representative's identifier (InvalidIdentifier if malformed)."""
    if kind == RepresentativeKind.ATTORNEY:
        state = (state or "").strip().upper()
        if state not in US_BAR_STATES:
            raise InvalidIdentifier(state)
        return f"bar:{state}:{normal_number(number)}"
    if kind == RepresentativeKind.ACCREDITED:
        return f"eoir:{normal_number(number)}"
    raise InvalidIdentifier(kind)


def key_from_case_system(role: str, identifier: str) -> str:
    """The normal form of what a case system sends: `NY-4512345` for an attorney, the EOIR
    number for an accredited representative; "" when nothing was sent."""
    identifier = (identifier or "").strip()
    if not identifier:
        return ""
    if role == RepresentativeKind.ATTORNEY:
        state, _sep, number = identifier.partition("-")
        return key_for(role, number=number, state=state)
    return key_for(role, number=identifier)
