"""ZIP codes and countries: validation, and the office with jurisdiction. Pure functions.

ZIP locations come from the maintained `zipcodes` package (U.S. Postal Service data: state,
latitude, longitude). A field office's jurisdiction is approximated by distance: the nearest
active field office in the ZIP's state, or the nearest overall for a state without one,
unless a configured ZipOfficeOverride names the office.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import zipcodes
from django.utils.translation import gettext as _

from srmt.core.errors import DomainError

ZIP_PATTERN = re.compile(r"^([0-9]{5})(?:-[0-9]{4})?$")
EARTH_RADIUS_KM = 6371.0

# ISO 3166-1 alpha-2 (from the IANA time zone database's iso3166.tab).
COUNTRY_CODES = frozenset(
    [
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    ]
)
# The United States and its territories: residents are served by domestic offices.
UNITED_STATES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


class InvalidZipCode(DomainError):
    code = "invalid_zip_code"


class UnknownZipCode(DomainError):
    code = "unknown_zip_code"


class InvalidCountryCode(DomainError):
    code = "invalid_country_code"


@dataclass(frozen=True)
class OfficePoint:
    code: str
    state: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ZipLocation:
    zip_code: str
    state: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ZipJurisdiction:
    office_code: str
    state: str
    match: str  # "override", "nearest_in_state" or "nearest_overall"
    distance_km: float | None


def normalize_zip(raw: str, *, field: str = "zip") -> str:
    """The 5-digit ZIP code of `raw` (ZIP or ZIP+4), or InvalidZipCode."""
    found = ZIP_PATTERN.match((raw or "").strip())
    if found is None:
        raise InvalidZipCode(
            _("Enter a ZIP code of 5 digits, like 05478, or ZIP+4, like 05478-1234."),
            field=field,
        )
    return found.group(1)


def locate_zip(zip5: str, *, field: str = "zip") -> ZipLocation:
    """Where the ZIP code is, or UnknownZipCode for a well-formed code that does not exist."""
    found = [z for z in zipcodes.matching(zip5) if z.get("lat") and z.get("long")]
    if not found:
        raise UnknownZipCode(
            _("%(zip)s is not a ZIP code in use. Check it with the customer.") % {"zip": zip5},
            field=field,
        )
    row = found[0]
    return ZipLocation(zip5, row["state"], float(row["lat"]), float(row["long"]))


def normalize_country(raw: str, *, field: str = "country") -> str:
    """The upper-case ISO 3166-1 alpha-2 code of `raw` ('' stays '' and means the U.S.)."""
    code = (raw or "").strip().upper()
    if code and code not in COUNTRY_CODES:
        raise InvalidCountryCode(
            _("Enter a two-letter country code (ISO 3166-1), like US, MX or IN."), field=field
        )
    return code


def is_in_united_states(country: str) -> bool:
    return not country or country in UNITED_STATES


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def field_office_for(
    location: ZipLocation, offices: Sequence[OfficePoint], overrides: Mapping[str, str]
) -> ZipJurisdiction | None:
    """The field office for a ZIP: an override (longest prefix), else the nearest in the
    state, else the nearest overall. None when there is no field office at all."""
    for length in (5, 4, 3):
        code = overrides.get(location.zip_code[:length])
        if code:
            return ZipJurisdiction(code, location.state, "override", None)
    in_state = [o for o in offices if o.state == location.state]
    candidates, match = (in_state, "nearest_in_state") if in_state else (offices, "nearest_overall")
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda o: (
            distance_km(location.latitude, location.longitude, o.latitude, o.longitude),
            o.code,
        ),
    )
    km = distance_km(location.latitude, location.longitude, best.latitude, best.longitude)
    return ZipJurisdiction(best.code, location.state, match, round(km, 1))


def international_office_for(country: str, mapping: Mapping[str, str], default: str) -> str:
    return mapping.get(country, default)
