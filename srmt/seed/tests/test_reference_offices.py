"""Office coordinates: the seed data, the extractor that writes it, and how a load corrects
coordinates an earlier release seeded without touching an administrator's edit."""

from __future__ import annotations

import csv
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
import zipcodes

from srmt.audit.models import AuditEvent
from srmt.offices.models import Office
from srmt.seed.reference import DATA, PREVIOUSLY_SEEDED_LOCATIONS, load_reference
from srmt.service_requests import routing_facts

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "extract_reference.py"
# The Washington Field Office serves D.C. from Fairfax, Virginia.
BUILDING_STATE = {"WAS": "VA"}


def _offices() -> dict[str, dict[str, str]]:
    with (DATA / "offices.csv").open(encoding="utf-8") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


def _state_bounds(state: str) -> tuple[float, float, float, float]:
    """South, north, west and east edges of the state's ZIP code points (the package places a
    few P.O. box and military ZIP codes at 0, 0: left out)."""
    points = [
        (float(z["lat"]), float(z["long"]))
        for z in zipcodes.filter_by(state=state)
        if z.get("lat") and z.get("long") and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)
    ]
    lats, longs = [p[0] for p in points], [p[1] for p in points]
    return min(lats), max(lats), min(longs), max(longs)


def test_every_field_office_lies_within_its_state() -> None:
    outside = {}
    for code, row in _offices().items():
        if row["kind"] != "field_office":
            continue
        south, north, west, east = _state_bounds(BUILDING_STATE.get(code, row["state"]))
        lat, long = float(row["latitude"]), float(row["longitude"])
        if not (south <= lat <= north and west <= long <= east):
            outside[code] = (row["state"], lat, long)
    assert outside == {}


def test_no_two_field_offices_share_a_location() -> None:
    """A shared location is the sign of a fallback (the state's average, say), not an address."""
    seen: dict[tuple[str, str], list[str]] = {}
    for code, row in _offices().items():
        if row["kind"] == "field_office":
            seen.setdefault((row["latitude"], row["longitude"]), []).append(code)
    assert [codes for codes in seen.values() if len(codes) > 1] == []


def test_every_domestic_office_has_a_location_and_no_office_abroad_has_one() -> None:
    offices = _offices()
    missing = [c for c, r in offices.items() if r["state"] and not r["latitude"]]
    abroad = [c for c, r in offices.items() if not r["state"] and r["latitude"]]
    assert (missing, abroad) == ([], [])


def test_previously_seeded_locations_are_old_values_of_known_offices() -> None:
    offices = _offices()
    stale = [
        code
        for code, lat, long in PREVIOUSLY_SEEDED_LOCATIONS
        if code not in offices
        or (Decimal(lat), Decimal(long))
        == (Decimal(offices[code]["latitude"]), Decimal(offices[code]["longitude"]))
    ]
    assert stale == []


@pytest.fixture
def extractor():
    spec = importlib.util.spec_from_file_location("extract_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_extractor_places_an_office_at_its_zip_code(extractor) -> None:
    assert extractor.office_location("NYC", "field_office", "New York City", "NY") == [
        "40.71520",
        "-74.00380",
    ]


@pytest.mark.parametrize(
    ("code", "zip_code", "kind", "city", "state", "message"),
    [
        ("NYC", "07102", "field_office", "New York City", "NY", "NYC: ZIP 07102 is in NJ"),
        ("NEW", None, "field_office", "Newark", "NJ", "NEW: field office without a ZIP"),
        ("ZXX", None, "asylum_office", "Nowhere", "NY", "ZXX: Nowhere, NY is not in"),
    ],
)
def test_the_extractor_refuses_an_office_it_cannot_place(
    extractor, monkeypatch, code, zip_code, kind, city, state, message
) -> None:
    if zip_code is None:
        monkeypatch.delitem(extractor.OFFICE_ZIP, code, raising=False)
    else:
        monkeypatch.setitem(extractor.OFFICE_ZIP, code, zip_code)
    with pytest.raises(SystemExit) as refused:
        extractor.office_location(code, kind, city, state)
    assert str(refused.value).startswith(message)


@pytest.mark.django_db
def test_loading_corrects_seeded_coordinates_and_keeps_an_administrators(reference) -> None:
    offices = _offices()
    # NYC and AGA hold what an earlier release seeded, BNY was seeded before routing, and an
    # administrator placed QNS by hand.
    Office.objects.filter(code="NYC").update(latitude="42.17457", longitude="-75.08660")
    Office.objects.filter(code="AGA").update(latitude="12.41237", longitude="133.62542")
    Office.objects.filter(code="BNY").update(latitude=None, longitude=None)
    Office.objects.filter(code="QNS").update(latitude="40.74000", longitude="-73.93000")
    assert routing_facts.build_facts(zip_code="10007")[0].zip_office_code == "QNS"

    report = load_reference()

    assert report.office_locations_corrected == 3
    assert routing_facts.build_facts(zip_code="10007")[0].zip_office_code == "NYC"
    held = {
        o.code: (o.latitude, o.longitude)
        for o in Office.objects.filter(code__in=["NYC", "AGA", "BNY", "QNS"])
    }
    assert held == {
        "NYC": (Decimal(offices["NYC"]["latitude"]), Decimal(offices["NYC"]["longitude"])),
        "AGA": (Decimal(offices["AGA"]["latitude"]), Decimal(offices["AGA"]["longitude"])),
        "BNY": (Decimal(offices["BNY"]["latitude"]), Decimal(offices["BNY"]["longitude"])),
        "QNS": (Decimal("40.74000"), Decimal("-73.93000")),
    }
    event = AuditEvent.objects.filter(action="reference.loaded").latest("id")
    assert event.changes["office_locations_corrected"] == 3

    assert load_reference().office_locations_corrected == 0
    assert AuditEvent.objects.filter(action="reference.loaded").latest("id") == event


def _contacts() -> dict[str, dict[str, str]]:
    with (DATA / "office_contacts.csv").open(encoding="utf-8") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


def test_every_international_office_has_public_contact_details_with_sources() -> None:
    international = {c for c, row in _offices().items() if row["kind"] == "international_office"}
    contacts = _contacts()
    assert set(contacts) == international == {"MEX", "GUA", "BEJ", "NDE", "NAI"}
    for code, row in contacts.items():
        assert all(row[f] for f in ("address", "hours", "hours_es")), code
        assert row["web_page"].startswith("https://"), code
        assert row["source"].startswith(("https://", "http://")), code
        assert all(len(row[f]) <= 240 for f in ("address", "hours", "hours_es")), code


def test_the_load_fills_blank_contact_details_and_keeps_an_administrators_edit(
    reference: None,
) -> None:
    contacts = _contacts()
    # given offices whose details were never loaded, and one an administrator edited
    Office.objects.filter(code__in=["MEX", "NDE"]).update(
        address="", phone="", email="", hours="", hours_es="", web_page=""
    )
    Office.objects.filter(code="GUA").update(phone="+502 0000-0000")
    # when
    report = load_reference()
    # then the blanks are filled from the data, the edit stays
    offices = Office.objects.in_bulk(["MEX", "NDE", "GUA"], field_name="code")
    assert report.office_contacts_filled == 2
    for code in ("MEX", "NDE"):
        office = offices[code]
        held = [office.address, office.phone, office.email, office.hours, office.hours_es]
        assert [*held, office.web_page] == [
            contacts[code][f]
            for f in ("address", "phone", "email", "hours", "hours_es", "web_page")
        ]
    assert offices["GUA"].phone == "+502 0000-0000"
    # and loading again changes nothing
    assert load_reference().office_contacts_filled == 0
