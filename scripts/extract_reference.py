"""Derive SRMT's reference data files from the public data in ../shared/data.

Writes srmt/seed/data/offices.csv, forms.csv and workload_mix.json. Run it again when the
shared data changes (`make reference`); the output is committed so that the product does not
depend on ../shared at run time.
"""

from __future__ import annotations

import collections
import csv
import json
import sys
from pathlib import Path

import zipcodes

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
TIMES = SHARED / "uscis-processing-times-2018-05"
COUNTS = SHARED / "uscis-case-status-counts" / "fy22-lockbox-status-counts.json"
OUT = ROOT / "srmt" / "seed" / "data"

SERVICE_CENTERS = {
    # code: (kind, time zone, state, city)
    "CSC": ("service_center", "America/Los_Angeles", "CA", "Laguna Niguel"),
    "ESC": ("service_center", "America/New_York", "VT", "Saint Albans"),
    "NSC": ("service_center", "America/Chicago", "NE", "Lincoln"),
    "SSC": ("service_center", "America/Chicago", "TX", "Mesquite"),
    "YSC": ("service_center", "America/New_York", "VA", "Arlington"),
    "NBC": ("national_benefits_center", "America/Chicago", "MO", "Lee's Summit"),
    "IPO": ("headquarters", "America/New_York", "DC", "Washington"),
    "FOD": ("headquarters", "America/New_York", "DC", "Washington"),
}
RENAMED = {"FOD": "Field Operations Directorate"}
NOT_IN_SHARED = [
    # code, name, kind, parent, time zone, state, city, phone, email
    (
        "CC-T1",
        "Contact Center, Tier 1",
        "contact_center",
        "",
        "America/New_York",
        "",
        "",
        "800-375-5283",
        "",
    ),
    (
        "CC-T2",
        "Contact Center, Tier 2",
        "contact_center",
        "",
        "America/New_York",
        "",
        "",
        "800-375-5283",
        "",
    ),
    (
        "ESC-VAWA",
        "Vermont Service Center, VAWA/T/U unit",
        "service_center",
        "ESC",
        "America/New_York",
        "VT",
        "Saint Albans",
        "",
        "",
    ),
    (
        "HQ-SCOPS",
        "Office of Service Center Operations (headquarters)",
        "headquarters",
        "",
        "America/New_York",
        "DC",
        "Washington",
        "",
        "",
    ),
    (
        "AAO",
        "Administrative Appeals Office",
        "appeals_office",
        "",
        "America/New_York",
        "DC",
        "Washington",
        "",
        "",
    ),
    (
        "ZAR",
        "Arlington Asylum Office",
        "asylum_office",
        "",
        "America/New_York",
        "VA",
        "Arlington",
        "",
        "",
    ),
    (
        "ZBO",
        "Boston Asylum Office",
        "asylum_office",
        "",
        "America/New_York",
        "MA",
        "Boston",
        "",
        "",
    ),
    (
        "ZCH",
        "Chicago Asylum Office",
        "asylum_office",
        "",
        "America/Chicago",
        "IL",
        "Chicago",
        "",
        "",
    ),
    (
        "ZHN",
        "Houston Asylum Office",
        "asylum_office",
        "",
        "America/Chicago",
        "TX",
        "Houston",
        "",
        "",
    ),
    (
        "ZLA",
        "Los Angeles Asylum Office",
        "asylum_office",
        "",
        "America/Los_Angeles",
        "CA",
        "Tustin",
        "",
        "",
    ),
    ("ZMI", "Miami Asylum Office", "asylum_office", "", "America/New_York", "FL", "Miami", "", ""),
    (
        "ZNK",
        "Newark Asylum Office",
        "asylum_office",
        "",
        "America/New_York",
        "NJ",
        "Lyndhurst",
        "",
        "",
    ),
    (
        "ZOL",
        "New Orleans Asylum Office",
        "asylum_office",
        "",
        "America/Chicago",
        "LA",
        "New Orleans",
        "",
        "",
    ),
    (
        "ZNY",
        "New York Asylum Office",
        "asylum_office",
        "",
        "America/New_York",
        "NY",
        "Bethpage",
        "",
        "",
    ),
    (
        "ZSF",
        "San Francisco Asylum Office",
        "asylum_office",
        "",
        "America/Los_Angeles",
        "CA",
        "San Francisco",
        "",
        "",
    ),
    (
        "ZSE",
        "Seattle Asylum Office",
        "asylum_office",
        "",
        "America/Los_Angeles",
        "WA",
        "Tukwila",
        "",
        "",
    ),
    (
        "MEX",
        "Mexico City International Field Office",
        "international_office",
        "",
        "America/Mexico_City",
        "",
        "Mexico City",
        "",
        "",
    ),
    (
        "GUA",
        "Guatemala City International Field Office",
        "international_office",
        "",
        "America/Guatemala",
        "",
        "Guatemala City",
        "",
        "",
    ),
    (
        "BEJ",
        "Beijing International Field Office",
        "international_office",
        "",
        "Asia/Shanghai",
        "",
        "Beijing",
        "",
        "",
    ),
    (
        "NDE",
        "New Delhi International Field Office",
        "international_office",
        "",
        "Asia/Kolkata",
        "",
        "New Delhi",
        "",
        "",
    ),
    (
        "NAI",
        "Nairobi International Field Office",
        "international_office",
        "",
        "Africa/Nairobi",
        "",
        "Nairobi",
        "",
        "",
    ),
]
EXTRA_FORMS = [
    (
        "I-134A",
        "Online Request to be a Supporter and Declaration of Financial Support",
        "Solicitud en Línea para ser Patrocinador y Declaración de Apoyo Económico",
    ),
    ("I-290B", "Notice of Appeal or Motion", "Aviso de Apelación o Moción"),
    (
        "I-589",
        "Application for Asylum and for Withholding of Removal",
        "Solicitud de Asilo y de Suspensión de Remoción",
    ),
    (
        "I-800",
        "Petition to Classify Convention Adoptee as an Immediate Relative",
        "Petición para Clasificar a un Adoptado de la Convención como Familiar Inmediato",
    ),
    (
        "I-800A",
        "Application for Determination of Suitability to Adopt a Child from a Convention Country",
        "Solicitud de Determinación de Idoneidad para Adoptar a un Niño de "
        "un País de la Convención",
    ),
]
# Forms for which premium processing is offered (some categories); see domain.md section 7.
PREMIUM_ELIGIBLE = {"I-129", "I-140", "I-539", "I-765"}
# Territories whose ZIP data the package lacks a city match for.
TERRITORY_ZONES = {"GU": "Pacific/Guam", "VI": "America/St_Thomas", "PR": "America/Puerto_Rico"}


def field_office_zone(city: str, state: str) -> str:
    if state in TERRITORY_ZONES:
        return TERRITORY_ZONES[state]
    for name in (city, city.replace("Saint ", "St. "), city.split("-")[0], city.split(" ")[0]):
        matches = [z for z in zipcodes.filter_by(state=state) if z["city"].lower() == name.lower()]
        if matches:
            return matches[0]["timezone"]
    counts = collections.Counter(z["timezone"] for z in zipcodes.filter_by(state=state))
    return counts.most_common(1)[0][0]


def office_location(city: str, state: str) -> list[str]:
    """Latitude and longitude of the office's city (routing measures distances from it);
    the centre of the state's ZIP codes when the city is not found; blank abroad."""
    if not state:
        return ["", ""]
    in_state = zipcodes.filter_by(state=state)
    for name in (city, city.replace("Saint ", "St. "), city.split("-")[0], city.split(" ")[0]):
        matches = [z for z in in_state if z["city"].lower() == name.lower()]
        if matches:
            return [f"{float(matches[0]['lat']):.5f}", f"{float(matches[0]['long']):.5f}"]
    if not in_state:
        return ["", ""]
    lat = sum(float(z["lat"]) for z in in_state) / len(in_state)
    long = sum(float(z["long"]) for z in in_state) / len(in_state)
    return [f"{lat:.5f}", f"{long:.5f}"]


def offices() -> list[list[str]]:
    seen: dict[str, str] = {}
    for path in sorted((TIMES / "formoffices").glob("*.json")):
        for office in json.loads(path.read_text())["data"]["form_offices"]["offices"]:
            seen[office["office_code"]] = office["office_description"]
    rows = []
    for code, description in sorted(seen.items()):
        if code in SERVICE_CENTERS:
            kind, zone, state, city = SERVICE_CENTERS[code]
            rows.append([code, RENAMED.get(code, description), kind, "", zone, state, city, "", ""])
            continue
        city, state = description.rsplit(" ", 1)
        rows.append(
            [
                code,
                f"{city} Field Office",
                "field_office",
                "",
                field_office_zone(city, state),
                state,
                city,
                "",
                "",
            ]
        )
    rows.extend([list(row) for row in NOT_IN_SHARED])
    return [[*row, *office_location(row[6], row[5])] for row in rows]


def forms() -> list[list[str]]:
    names: dict[str, tuple[str, str]] = {}
    for path in sorted((TIMES / "processingtime").glob("*/*.json")):
        data = json.loads(path.read_text())["data"]["processing_time"]
        names[data["form_name"]] = (data["form_info_en"].strip(), data["form_info_es"].strip())
    for code, en, es in EXTRA_FORMS:
        names.setdefault(code, (en, es))
    return [
        [code, en, " ".join(es.split()), "yes" if code in PREMIUM_ELIGIBLE else "no"]
        for code, (en, es) in sorted(names.items())
    ]


def workload_mix() -> dict:
    """Forms per receipt prefix and statuses per form, from the latest day's counts."""
    counts = json.loads(COUNTS.read_text())
    form_mix: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    status_mix: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for key, series in counts.items():
        center, _fy, _day, _layout, form, status = key.split("|")
        if not series or form == "unknown":
            continue
        latest = series[max(series, key=int)]
        form_mix[center][form] += latest
        status_mix[form][status] += latest
    return {
        "source": "uscis-case-status-counts/fy22-lockbox-status-counts.json (latest day)",
        "forms_by_prefix": {c: dict(m.most_common()) for c, m in sorted(form_mix.items())},
        "statuses_by_form": {f: dict(m.most_common(25)) for f, m in sorted(status_mix.items())},
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "offices.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "code",
                "name",
                "kind",
                "parent",
                "time_zone",
                "state",
                "city",
                "phone",
                "email",
                "latitude",
                "longitude",
            ]
        )
        writer.writerows(offices())
    with (OUT / "forms.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name_en", "name_es", "premium_processing_eligible"])
        writer.writerows(forms())
    (OUT / "workload_mix.json").write_text(
        json.dumps(workload_mix(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
