"""Derive SRMT's reference data files from the public data in ../shared/data.

Writes srmt/seed/data/offices.csv, forms.csv, processing_times.csv and workload_mix.json.
Run it again when the shared data changes (`make reference`); the output is committed so
that the product does not depend on ../shared at run time.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
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
# The ZIP code of each field office's street address (USCIS field office pages); routing
# measures distances from that ZIP's latitude and longitude in the `zipcodes` package. Also
# the two other domestic offices whose city the package does not know (NBC, ZSE).
OFFICE_ZIP = {
    "ABQ": "87102",  # 1635 University Blvd NE, Albuquerque
    "AGA": "96910",  # 108 Hernan Cortez Ave, Hagatna (Agana), Guam
    "ALB": "12110",  # 1086 Troy-Schenectady Rd, Latham
    "ANC": "99501",  # 620 E 10th Ave, Anchorage
    "ATL": "30345",  # 2150 Parklake Dr NE, Atlanta
    "BAL": "21227",  # 3701 Koppers St, Baltimore
    "BNY": "11201",  # 271 Cadman Plaza E, Brooklyn
    "BOI": "83709",  # 1185 S Vinnell Way, Boise
    "BOS": "02203",  # JFK Federal Building, 15 New Sudbury St, Boston
    "BUF": "14202",  # 306 Delaware Ave, Buffalo
    "CAS": "82601",  # 150 E B St, Casper
    "CHA": "00802",  # 8000 Nisky Center, Charlotte Amalie, St. Thomas
    "CHI": "60605",  # 101 W Congress Pkwy, Chicago
    "CHL": "29407",  # 1 Poston Rd, Charleston
    "CHR": "00820",  # Sunny Isle Shopping Center, Christiansted, St. Croix
    "CIN": "45202",  # 550 Main St, Cincinnati
    "CLE": "44199",  # 1240 E 9th St (A.J. Celebrezze Federal Building), Cleveland
    "CLM": "43215",  # 50 W Broad St, Columbus
    "CLT": "28217",  # 201 Regency Executive Park Dr, Charlotte
    "DAL": "75063",  # 6500 Campus Circle Dr E, Irving
    "DEN": "80111",  # 12484 E Weaver Pl, Centennial
    "DET": "48214",  # 11411 E Jefferson Ave, Detroit
    "DSM": "50309",  # 210 Walnut St, Des Moines
    "ELP": "79925",  # 1545 Hawkins Blvd, El Paso
    "FRE": "93721",  # 1177 Fulton Mall, Fresno
    "FSA": "72903",  # 4991 Old Greenwood Rd, Fort Smith
    "GRR": "29334",  # 170 Tucapau Rd, Duncan (Greer)
    "HAR": "06103",  # 450 Main St, Hartford
    "HEL": "59602",  # 2800 Skyway Dr, Helena
    "HHW": "96813",  # 500 Ala Moana Blvd, Honolulu
    "HIA": "33015",  # 5880 NW 183rd St, Hialeah
    "HLG": "78552",  # 1717 Zoy St, Harlingen
    "HOU": "77067",  # 810 Gears Rd, Houston
    "IMP": "92251",  # 2409 La Brucherie Rd, Imperial
    "INP": "46204",  # 950 N Meridian St, Indianapolis
    "JAC": "32216",  # 4121 Southpoint Blvd, Jacksonville
    "KAN": "64153",  # 9747 NW Conant Ave, Kansas City
    "KND": "33186",  # 14675 SW 120th St, Miami (Kendall)
    "LAC": "91770",  # 8800 Glendon Way, Rosemead
    "LAW": "01840",  # 2 Mill St, Lawrence
    "LNY": "11742",  # 30 Barretts Ave, Holtsville
    "LOS": "90012",  # 300 N Los Angeles St, Los Angeles
    "LOU": "40202",  # 601 W Broadway (Mazzoli Federal Building), Louisville
    "LVG": "89118",  # 5650 W Badura Ave, Las Vegas
    "MAN": "03101",  # 803 Canal St, Manchester
    "MEM": "38122",  # 842 Virginia Run Cv, Memphis
    "MGA": "36117",  # 75 Technacenter Dr, Montgomery
    "MIA": "33150",  # 8801 NW 7th Ave, Miami
    "MIL": "53202",  # 310 E Knapp St, Milwaukee
    "MTL": "08054",  # 530 Fellowship Rd, Mount Laurel
    "NEW": "07102",  # 970 Broad St (Rodino Federal Building), Newark
    "NOL": "70113",  # 1250 Poydras St, New Orleans
    "NOR": "23513",  # 5280 Henneman Dr, Norfolk
    "NYC": "10278",  # 26 Federal Plaza, New York
    "OFM": "33916",  # Fort Myers (Center Pointe Dr)
    "OKC": "73119",  # 4400 SW 44th St, Oklahoma City
    "OKL": "33309",  # 4451 NW 31st Ave, Oakland Park
    "OMA": "68110",  # 1717 Avenue H E, Omaha
    "ORL": "32822",  # 6680 Corporate Centre Blvd, Orlando
    "PHI": "19104",  # 30 N 41st St, Philadelphia
    "PHO": "85004",  # 2035 N Central Ave, Phoenix
    "PIT": "15203",  # 3000 Sidney St, Pittsburgh
    "POM": "04106",  # 176 Gannett Dr, South Portland
    "POO": "97209",  # 1455 NW Overton St, Portland
    "PRO": "02919",  # 1543 Atwood Ave, Johnston
    "QNS": "11101",  # 27-35 Jackson Ave, Long Island City
    "RAL": "27703",  # 301 Roycroft Dr, Durham
    "REN": "89521",  # 790 Sandhill Rd, Reno
    "SAA": "92701",  # 34 Civic Center Plaza, Santa Ana
    "SAC": "95814",  # 650 Capitol Mall, Sacramento
    "SAJ": "00968",  # 7 Tabonuco St, Guaynabo
    "SBD": "92408",  # 995 Hardt St, San Bernardino
    "SEA": "98168",  # 12500 Tukwila International Blvd, Tukwila
    "SFR": "94111",  # 630 Sansome St / 444 Washington St, San Francisco
    "SFV": "91311",  # 19809 Prairie St, Chatsworth
    "SLC": "84111",  # 660 S 200 E, Salt Lake City
    "SNA": "78239",  # 8940 Fourwinds Dr, San Antonio
    "SND": "92101",  # 880 Front St, San Diego
    "SNJ": "95112",  # 1887 Monterey Rd, San Jose
    "SPM": "55425",  # 2901 Metro Dr, Bloomington
    "SPO": "99201",  # 920 W Riverside Ave, Spokane
    "STA": "05478",  # 64 Gricebrook Rd, St. Albans
    "STL": "63103",  # 1222 Spruce St, St. Louis
    "TAM": "33634",  # 5629 Hoover Blvd, Tampa
    "TUC": "85714",  # 4475 S Coach Dr, Tucson
    "WAS": "22031",  # 2675 Prosperity Ave, Fairfax, Virginia (see OFFICE_ZIP_STATE)
    "WIC": "67202",  # 271 W 3rd St N, Wichita
    "WPB": "33411",  # 9300 Belvedere Rd, Royal Palm Beach
    "YAK": "98901",  # 415 N 3rd St, Yakima
    "NBC": "64063",  # 850 NW Chipman Rd, Lee's Summit
    "ZSE": "98168",  # 12500 Tukwila International Blvd, Tukwila
}
# Offices whose building is across a state line from the state they serve: the state the
# ZIP must be in. The Washington Field Office serves D.C. from Fairfax, Virginia.
OFFICE_ZIP_STATE = {"WAS": "VA"}


def field_office_zone(city: str, state: str) -> str:
    if state in TERRITORY_ZONES:
        return TERRITORY_ZONES[state]
    for name in (city, city.replace("Saint ", "St. "), city.split("-")[0], city.split(" ")[0]):
        matches = [z for z in zipcodes.filter_by(state=state) if z["city"].lower() == name.lower()]
        if matches:
            return matches[0]["timezone"]
    counts = collections.Counter(z["timezone"] for z in zipcodes.filter_by(state=state))
    return counts.most_common(1)[0][0]


def _has_point(row: dict) -> bool:
    """The package has no coordinates for some ZIP codes, and 0, 0 for a few others."""
    if not (row.get("lat") and row.get("long")):
        return False
    return (float(row["lat"]), float(row["long"])) != (0.0, 0.0)


def _point(row: dict) -> list[str]:
    return [f"{float(row['lat']):.5f}", f"{float(row['long']):.5f}"]


def office_location(code: str, kind: str, city: str, state: str) -> list[str]:
    """Latitude and longitude of the office (routing measures distances from it): of the ZIP
    code in OFFICE_ZIP, else (offices that routing does not use) of the first ZIP code of its
    city; blank abroad. Raises when a domestic office cannot be placed."""
    if code in OFFICE_ZIP:
        zip5 = OFFICE_ZIP[code]
        rows = [z for z in zipcodes.matching(zip5) if _has_point(z)]
        if not rows:
            raise SystemExit(f"{code}: ZIP {zip5} has no coordinates in the zipcodes package")
        expected = OFFICE_ZIP_STATE.get(code, state)
        if rows[0]["state"] != expected:
            raise SystemExit(
                f"{code}: ZIP {zip5} is in {rows[0]['state']}, the office is in {expected}"
            )
        return _point(rows[0])
    if kind == "field_office":
        raise SystemExit(f"{code}: field office without a ZIP code in OFFICE_ZIP")
    if not state:
        return ["", ""]
    matches = [
        z
        for z in zipcodes.filter_by(state=state)
        if z["city"].lower() == city.lower() and _has_point(z)
    ]
    if not matches:
        raise SystemExit(f"{code}: {city}, {state} is not in the zipcodes package; add OFFICE_ZIP")
    return _point(matches[0])


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
    unknown = set(OFFICE_ZIP) - {row[0] for row in rows}
    if unknown:
        raise SystemExit(f"OFFICE_ZIP names unknown offices: {sorted(unknown)}")
    return [[*row, *office_location(row[0], row[2], row[6], row[5])] for row in rows]


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


WEEKS_PER_MONTH = 52 / 12


def _months(bound: dict) -> float:
    value = float(bound["value"])
    return value / WEEKS_PER_MONTH if bound["unit"].lower().startswith("week") else value


def processing_times() -> list[list[str]]:
    """The published processing time per form and office: the longest upper bound of the
    form's range and of its subtypes' ranges, in months (to the half month, rounded up)."""
    rows = []
    for path in sorted((TIMES / "processingtime").glob("*/*.json")):
        data = json.loads(path.read_text())["data"]["processing_time"]
        bounds = list(data.get("range") or [])
        dates = []
        for subtype in data.get("subtypes") or []:
            bounds.extend(subtype.get("range") or [])
            dates.append(subtype.get("publication_date") or "")
        if not bounds:
            continue
        months = max(_months(b) for b in bounds)
        halves = -(-round(months * 2, 6) // 1)  # ceiling, in half months
        published = max(
            dt.datetime.strptime(d, "%B %d, %Y").replace(tzinfo=dt.UTC).date() for d in dates if d
        )
        rows.append([data["form_name"], data["office_code"], f"{halves / 2:.1f}", str(published)])
    return rows


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
    office_rows = offices()  # before opening the file: a failure leaves the old file intact
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
        writer.writerows(office_rows)
    with (OUT / "forms.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name_en", "name_es", "premium_processing_eligible"])
        writer.writerows(forms())
    with (OUT / "processing_times.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["form", "office", "months", "published_on"])
        writer.writerows(processing_times())
    (OUT / "workload_mix.json").write_text(
        json.dumps(workload_mix(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
