"""ZIP codes and countries: validation, and the office with jurisdiction. Pure functions.

ZIP locations come from the maintained `zipcodes` package (U.S. Postal Service data: state,
latitude, longitude). A field office's jurisdiction is approximated by distance: the nearest
active field office in the ZIP's state, or the nearest overall for a state without one,
unless a configured ZipOfficeOverride names the office.

The package gives some ZIP codes the position 0,0 (in the Gulf of Guinea): that means "not
known", never a place. Military mail ZIPs (APO/FPO/DPO: states AA, AE, AP, and a few filed
under NJ) have no field office by address, whatever their position. Another ZIP without a
position takes the mean position of its state's ZIPs with the same 3-digit prefix; failing
that, the state's only field office serves it, or none does (docs/adr/0011).

Countries are ISO 3166-1 alpha-2 codes from the maintained django-countries package, which
also names them in English and Spanish (docs/adr/0024).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import zipcodes
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from srmt.core.errors import DomainError

ZIP_PATTERN = re.compile(r"^([0-9]{5})(?:-[0-9]{4})?$")
EARTH_RADIUS_KM = 6371.0

# Military mail: the Armed Forces "states" (Americas, Europe, Pacific) and the post office
# names of APO/FPO/DPO addresses (the package files six AE-range ZIPs, 099xx, under NJ).
MILITARY_STATES = frozenset({"AA", "AE", "AP"})
MILITARY_CITIES = frozenset({"APO", "FPO", "DPO"})

# The package's Python wrappers are unannotated (only its compiled core has a stub); this is
# the signature of zipcodes.list_all() as that stub gives it.
_list_all_zips: Callable[[], list[dict[str, Any]]] = zipcodes.list_all

# ZipLocation.position: where the coordinates come from.
POSITION_ZIP = "zip"  # the package's position of the ZIP code
POSITION_PREFIX_MEAN = "prefix_mean"  # mean of the state's ZIPs with the same 3-digit prefix
POSITION_UNKNOWN = "unknown"  # none: latitude and longitude are None

# ZipJurisdiction.match
MATCH_OVERRIDE = "override"
MATCH_NEAREST_IN_STATE = "nearest_in_state"
MATCH_NEAREST_OVERALL = "nearest_overall"
MATCH_ONLY_IN_STATE = "only_in_state"  # no known position; the state's single field office
MATCH_MILITARY_MAIL = "military_mail"  # APO/FPO/DPO: no field office by address
MATCH_UNKNOWN_POSITION = "unknown_position"  # no position and no single office in the state

# The United States and its territories: residents are served by domestic offices.
UNITED_STATES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


class InvalidZipCode(DomainError):
    code = "invalid_zip_code"


class UnknownZipCode(DomainError):
    code = "unknown_zip_code"


class InvalidCountryCode(DomainError):
    code = "invalid_country_code"


class UnknownCountry(DomainError):
    code = "unknown_country"


class AmbiguousCountry(DomainError):
    code = "ambiguous_country"


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
    latitude: float | None
    longitude: float | None
    position: str = POSITION_ZIP
    is_military_mail: bool = False


@dataclass(frozen=True)
class ZipJurisdiction:
    """The field office of a ZIP code; office_code is '' when no field office serves it by
    address (military mail, or no known position), and match says why."""

    office_code: str
    state: str
    match: str  # one of the MATCH_* values
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


def _package_position(row: Mapping[str, object]) -> tuple[float, float] | None:
    """The package's position of a ZIP code; None for a missing one or 0,0 (not known)."""
    try:
        latitude, longitude = float(str(row.get("lat"))), float(str(row.get("long")))
    except ValueError:
        return None
    if latitude == 0 and longitude == 0:
        return None
    return latitude, longitude


@functools.cache
def _zip_rows() -> dict[str, Mapping[str, object]]:
    """The package's ZIP codes by code (a dict: zipcodes.matching() scans the whole list)."""
    return {str(row["zip_code"]): row for row in _list_all_zips()}


@functools.cache
def _prefix_positions() -> dict[tuple[str, str], tuple[float, float]]:
    """(state, 3-digit prefix) -> the mean position of its ZIP codes that have one."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for zip5, row in _zip_rows().items():
        position = _package_position(row)
        if position is not None:
            points.setdefault((str(row["state"]), zip5[:3]), []).append(position)
    return {
        key: (
            round(sum(lat for lat, _lon in found) / len(found), 4),
            round(sum(lon for _lat, lon in found) / len(found), 4),
        )
        for key, found in points.items()
    }


def zip_states() -> tuple[str, ...]:
    """The two-letter codes of every state, territory and military "state" with ZIP codes."""
    return tuple(sorted({str(row["state"]) for row in _zip_rows().values()}))


def all_zip_codes() -> tuple[str, ...]:
    """Every ZIP code the package knows, in order."""
    return tuple(sorted(_zip_rows()))


def locate_zip(zip5: str, *, field: str = "zip") -> ZipLocation:
    """Where the ZIP code is, or UnknownZipCode for a well-formed code that does not exist.

    A ZIP the package places at 0,0 has no known position: a military mail ZIP keeps none
    (it is not served by address), another takes the mean position of its state's ZIPs with
    the same prefix, if there are any.
    """
    row = _zip_rows().get(zip5)
    if row is None:
        raise UnknownZipCode(
            _("%(zip)s is not a ZIP code in use. Check it with the customer.") % {"zip": zip5},
            field=field,
        )
    state = str(row["state"])
    military = state in MILITARY_STATES or str(row.get("city", "")).upper() in MILITARY_CITIES
    found, position = _package_position(row), POSITION_ZIP
    if found is None and not military:
        found, position = _prefix_positions().get((state, zip5[:3])), POSITION_PREFIX_MEAN
    if found is None:
        return ZipLocation(zip5, state, None, None, POSITION_UNKNOWN, military)
    return ZipLocation(zip5, state, found[0], found[1], position, military)


def normalize_country(raw: str, *, field: str = "country") -> str:
    """The upper-case ISO 3166-1 alpha-2 code of `raw` ('' stays '' and means the U.S.).

    Only two-letter codes are taken (not alpha-3, numeric codes or names): the codes are
    django-countries' list of ISO 3166-1."""
    code = (raw or "").strip().upper()
    if code and (len(code) != 2 or code not in countries):
        raise InvalidCountryCode(
            _("Enter a two-letter country code (ISO 3166-1), like US, MX or IN."), field=field
        )
    return code


# Names people use that the package's English and Spanish names do not spell out.
COUNTRY_ALIASES = {
    "united states": "US",
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "ee uu": "US",
    "eeuu": "US",
    "estados unidos de america": "US",
    "uk": "GB",
}
# Short names people use for more than one country: refused as ambiguous, never guessed.
AMBIGUOUS_NAMES = {
    "korea": ("KP", "KR"),
    "corea": ("KP", "KR"),
    "virgin islands": ("VG", "VI"),
    "islas virgenes": ("VG", "VI"),
}


def _name_key(name: str) -> str:
    """A name without case, accents or punctuation: "México" and "mexico" are one key."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@functools.cache
def _codes_by_name() -> dict[str, frozenset[str]]:
    """Every country name in English and Spanish (as _name_key) -> the codes it names."""
    found: dict[str, set[str]] = {}
    for language in ("en", "es"):
        with translation.override(language):
            for country in countries:
                found.setdefault(_name_key(str(country.name)), set()).add(country.code)
    for alias, code in COUNTRY_ALIASES.items():
        found.setdefault(alias, set()).add(code)
    for name, codes in AMBIGUOUS_NAMES.items():
        found.setdefault(name, set()).update(codes)
    return {key: frozenset(codes) for key, codes in found.items()}


def resolve_country(raw: str, *, field: str = "country") -> str:
    """The ISO 3166-1 alpha-2 code of `raw`: a two-letter code (any case: "GU" is Guam, "ME"
    Montenegro), or a country's name in English or Spanish, case and accents aside
    ("Guatemala", "México", "Estados Unidos"). '' stays '' (the U.S.). An unknown name is
    refused with UnknownCountry, a name of more than one country with AmbiguousCountry."""
    text = (raw or "").strip()
    if len(text) <= 2:
        return normalize_country(text, field=field)
    codes = _codes_by_name().get(_name_key(text), frozenset())
    if not codes:
        raise UnknownCountry(
            _(
                "%(name)s is not a country we know. Choose the country from the list or give its "
                "two-letter code, like MX."
            )
            % {"name": text[:100]},
            field=field,
        )
    if len(codes) > 1:
        raise AmbiguousCountry(
            _("%(name)s could be more than one country (%(codes)s). Give its two-letter code.")
            % {"name": text[:100], "codes": ", ".join(sorted(codes))},
            field=field,
        )
    return next(iter(codes))


def country_choices() -> list[tuple[str, str]]:
    """Every country as (code, name in the active language), sorted by that name, the U.S.
    first (the package sorts by the localized name)."""
    listed = [(c.code, str(c.name)) for c in countries]
    return [c for c in listed if c[0] == "US"] + [c for c in listed if c[0] != "US"]


def country_name(code: str) -> str:
    """The name of the country `code` in the active language (English or Spanish); the code
    itself when it is not one."""
    return str(countries.name(code)) if code in countries else code


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
    state, else the nearest overall. Military mail has no field office by address; a ZIP
    without a known position gets its state's only field office, if it has exactly one.
    Those without an office answer office_code '' (match says why); None when there is no
    field office at all."""
    for length in (5, 4, 3):
        code = overrides.get(location.zip_code[:length])
        if code:
            return ZipJurisdiction(code, location.state, MATCH_OVERRIDE, None)
    if location.is_military_mail:
        return ZipJurisdiction("", location.state, MATCH_MILITARY_MAIL, None)
    in_state = [o for o in offices if o.state == location.state]
    if location.latitude is None or location.longitude is None:
        if len(in_state) == 1:
            return ZipJurisdiction(in_state[0].code, location.state, MATCH_ONLY_IN_STATE, None)
        return ZipJurisdiction("", location.state, MATCH_UNKNOWN_POSITION, None)
    latitude, longitude = location.latitude, location.longitude
    candidates, match = (
        (in_state, MATCH_NEAREST_IN_STATE) if in_state else (offices, MATCH_NEAREST_OVERALL)
    )
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda o: (distance_km(latitude, longitude, o.latitude, o.longitude), o.code),
    )
    km = distance_km(latitude, longitude, best.latitude, best.longitude)
    return ZipJurisdiction(best.code, location.state, match, round(km, 1))


def international_office_for(country: str, mapping: Mapping[str, str], default: str) -> str:
    return mapping.get(country, default)
