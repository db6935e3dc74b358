"""The intake page keeps what the caller said (issue 9 section 1, ADR 28): the person's
differences shown before saving, every error at once, long text never cut, the referral
confirmed with its office's contact details, expedite and address details by type, due
dates before saving, Save as the default button, rule codes only for routing managers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.api.tests.conftest import row_counts
from srmt.audit.models import AuditEvent
from srmt.cases.models import CaseParty, Person
from srmt.notifications.models import Notification
from srmt.offices.models import Office
from srmt.service_requests.expedite_models import ExpediteRequest
from srmt.service_requests.models import InternalNote, ServiceRequest
from srmt.service_requests.routing_models import Referral
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.test_intake import ADDRESS, FORM
from srmt.testing.factories import make_case, make_user

URL = "/staff/intake/new/"
RECEIPT = "EAC2190012345"


def _written() -> dict[str, int]:
    return {**row_counts(), "Referral": Referral.objects.count()}


def _ana_on_file() -> Person:
    case = make_case(RECEIPT, office="ESC")
    person = Person.objects.create(
        name="Luis Gómez", email="luis@example.com", phone="+18025550100", language="en"
    )
    CaseParty.objects.create(case=case, person=person, role="applicant")
    return person


# --- 1. what the caller said ---------------------------------------------------------------


def test_the_difference_is_shown_before_saving_and_nothing_is_written(tier1: User) -> None:
    person = _ana_on_file()
    client = client_for(tier1)
    before = _written()
    response = client.post(URL, {**FORM, "receipt_number": RECEIPT})
    assert response.status_code == 200
    assert _written() == before
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>',
        response.content.decode(),
    )
    assert rows == [
        ("Phone number", "+18025550100", "+18025550123"),
        ("Language for responses", "English", "Spanish"),
    ]
    assert (
        'value="caller" checked'
        in response.content.decode().replace('class="usa-radio__input" ', "")
        or "checked" in response.content.decode()
    )
    assert response.context["form"].data["person_choice"] == "caller"
    person.refresh_from_db()
    assert (person.phone, person.language) == ("+18025550100", "en")


@pytest.mark.parametrize(
    ("choice", "phone", "language", "audited"),
    [("caller", "+18025550123", "es", True), ("on_file", "+18025550100", "en", False)],
)
def test_the_worker_chooses_and_the_request_uses_it(
    tier1: User, choice: str, phone: str, language: str, audited: bool
) -> None:
    person = _ana_on_file()
    response = client_for(tier1).post(
        URL, {**FORM, "receipt_number": RECEIPT, "person_choice": choice}
    )
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert sr.requester_id == person.pk
    assert (sr.requester.phone, sr.requester.language) == (phone, language)
    events = AuditEvent.objects.filter(action="person.updated")
    if audited:
        assert [e.changes for e in events] == [
            {"phone": ["+18025550100", "+18025550123"], "language": ["en", "es"]}
        ]
    else:
        assert not events.exists()


def test_a_protected_persons_details_are_never_shown_to_uncleared_staff(tier1: User) -> None:
    person = _ana_on_file()
    person.case_roles.update()
    make_case("EAC2190077777", is_protected=True)
    CaseParty.objects.create(
        case=make_case("EAC2190066666", is_protected=True), person=person, role="applicant"
    )
    response = client_for(tier1).post(URL, {**FORM, "receipt_number": "EAC2190066666"})
    assert response.status_code == 302  # no difference shown, nothing of the person leaked
    assert "+18025550100" not in response.content.decode()


# --- 5. every error at once, nothing decided ---------------------------------------------


def test_bad_email_phone_country_and_zip_are_all_shown_at_once_and_nothing_is_written(
    tier1: User,
) -> None:
    client = client_for(tier1)
    before = _written()
    response = client.post(
        URL,
        {
            **FORM,
            "type": "complaint",
            "requester_email": "luis@",
            "requester_phone": "12",
            "requester_country": "Guatemala",  # not a choice: the picker sends codes
            "requester_zip_code": "123",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == [
        "requester_country",
        "requester_email",
        "requester_phone",
        "requester_zip_code",
    ]
    assert errors["requester_zip_code"] == [
        "Enter a ZIP code of 5 digits, like 05478, or ZIP+4, like 05478-1234."
    ]
    assert response.context["preview"] is None
    assert _written() == before


# --- 4. long text ---------------------------------------------------------------------------


def test_a_long_text_is_refused_with_its_limit_and_never_cut(tier1: User) -> None:
    client = client_for(tier1)  # signing in is audited: before the count
    before = _written()
    response = client.post(URL, {**FORM, "type": "complaint", "description": "x" * 10_001})
    assert response.context["form"].errors == {
        "description": ["Use at most 10,000 characters. This text has 10,001."]
    }
    assert _written() == before
    page = response.content.decode()
    assert 'data-maxlength="10000"' in page
    assert not re.search(r"<textarea[^>]*maxlength", page)
    assert "usa-character-count__field" in page
    assert "You can enter up to 10,000 characters" in page


def test_every_long_field_of_the_intake_form_is_counted(tier1: User) -> None:
    page = client_for(tier1).get(URL).content.decode()
    counted = re.findall(r'<textarea name="([a-z_]+)"[^>]*usa-character-count__field', page)
    assert sorted(counted) == [
        "description",
        "expedite_evidence",
        "expedite_justification",
    ]


# --- 2 and 3. the country and the referral ------------------------------------------------


def test_the_country_picker_lists_names_in_the_readers_language_us_first(tier1: User) -> None:
    for language, names in (("en", ("Guatemala", "Mexico")), ("es", ("Guatemala", "México"))):
        page = client_for(tier1).get(URL, headers={"accept-language": language}).content.decode()
        select = page[page.index('name="requester_country"') :]
        select = select[: select.index("</select>")]
        options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', select)
        assert options[0][0] == "US"
        assert ("GT", names[0]) in options
        assert ("MX", names[1]) in options
        assert "usa-combo-box" in page


@pytest.mark.parametrize(
    ("country", "office", "name", "office_name"),
    [
        ("GT", "GUA", "Guatemala", "Guatemala City International Field Office"),
        ("MX", "MEX", "Mexico", "Mexico City International Field Office"),
    ],
)
def test_a_referral_waits_for_the_worker_to_confirm_it(
    tier1: User, country: str, office: str, name: str, office_name: str
) -> None:
    Office.objects.filter(code=office).update(
        phone="+502 2326 4000", hours="Monday to Friday, by appointment"
    )
    real_name = Office.objects.get(code=office).name
    client = client_for(tier1)
    before = _written()
    form = {**FORM, "type": "complaint", "requester_country": country}
    shown = client.post(URL, form)  # Save (or Enter): the page stops to show the referral
    assert shown.status_code == 200
    assert _written() == before
    page = shown.content.decode()
    assert (
        f"Customer lives in {name}: this will be referred to the {real_name}, no service "
        "request will be opened."
    ) in page
    assert "+502 2326 4000" in page
    assert "Monday to Friday, by appointment" in page
    assert f'name="confirm_referral" value="{office}"' in page
    # a confirmation of another office (the country was changed since) is shown again
    assert client.post(URL, {**form, "confirm_referral": "NAI"}).status_code == 200
    assert _written() == before
    done = client.post(URL, {**form, "confirm_referral": office})
    referral = Referral.objects.get()
    assert (referral.office.code, referral.country) == (office, country)
    assert not ServiceRequest.objects.exists()
    page = done.content.decode()
    assert referral.reference.startswith("RF-")
    assert referral.reference in page
    assert "SR-" not in page
    assert "+502 2326 4000" in page
    (notice,) = Notification.objects.all()
    assert (notice.kind, notice.language, notice.to_address) == (
        "referral_notice",
        "es",
        "luis@example.com",
    )
    assert real_name in notice.body
    assert "+502 2326 4000" in notice.body
    assert notice.body.startswith("Hola, Luis Gómez:")
    del office_name


# --- 6. structured fields -------------------------------------------------------------------


def test_expedite_details_are_required_only_for_an_expedite(tier1: User) -> None:
    make_case(RECEIPT, office="ESC")
    other = client_for(tier1).post(URL, {**FORM, "receipt_number": RECEIPT})
    assert other.status_code == 302  # no expedite fields needed
    with time_machine.travel(dt.datetime(2026, 11, 2, 15, tzinfo=dt.UTC), tick=False):
        response = client_for(tier1).post(
            URL,
            {
                **FORM,
                "receipt_number": RECEIPT,
                "type": "expedite_request",
                "expedite_criterion": "emergency_humanitarian",
                "expedite_customer_deadline": "2026-11-20",
                "expedite_justification": "Surgery abroad.",
                "expedite_evidence": "A letter from the surgeon.",
            },
        )
    assert response.status_code == 302
    expedite = ExpediteRequest.objects.get()
    assert (expedite.customer_deadline, expedite.evidence, expedite.justification) == (
        dt.date(2026, 11, 20),
        "A letter from the surgeon.",
        "Surgery abroad.",
    )


def test_expedite_fields_sit_in_a_fieldset_for_their_type(tier1: User) -> None:
    page = client_for(tier1).get(URL).content.decode()
    assert 'id="expedite-details" data-for-type="expedite_request"' in page
    assert 'id="address-details" data-for-type="change_of_address"' in page
    assert "srmt/intake.js" in page


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"address_zip_code": "10001"},
            {
                "address_zip_code": [
                    "ZIP code 10001 is in NY, not VT. Check the ZIP code and state."
                ]
            },
        ),
        (
            {"address_street": "", "address_city": "", "address_state": ""},
            {
                "address_street": ["Enter the street address."],
                "address_city": ["Enter the city."],
                "address_state": ["Choose the state."],
            },
        ),
        ({"address_country": "MX", "address_state": "", "address_zip_code": "06600"}, {}),
    ],
)
def test_a_change_of_address_checks_its_address(
    tier1: User, fields: dict[str, str], errors: dict[str, list[str]]
) -> None:
    client = client_for(tier1)  # signing in is audited: before the count
    before = _written()
    response = client.post(URL, {**FORM, **ADDRESS, **fields, "type": "change_of_address"})
    if errors:
        assert response.context["form"].errors == errors
        assert _written() == before
    else:
        assert response.status_code == 302


def test_a_new_address_is_applied_to_every_open_case_and_shown_on_each(tier1: User) -> None:
    person = Person.objects.create(name="Luis Gómez", email="luis@example.com")
    for receipt, status in (
        ("EAC2190000001", "Case Was Received"),
        ("EAC2190000002", "Interview Was Scheduled"),
        ("EAC2190000003", "Case Was Approved"),
    ):
        CaseParty.objects.create(
            case=make_case(receipt, status_text=status), person=person, role="applicant"
        )
    response = client_for(tier1).post(URL, {**FORM, **ADDRESS, "type": "change_of_address"})
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    (note,) = InternalNote.objects.filter(service_request=sr)
    assert note.body == (
        "New address: 12 Elm Street, Essex Junction, VT 05452.\n"
        "Change of address applies to every open case of the person: EAC2190000001, "
        "EAC2190000002."
    )
    on_cases = AuditEvent.objects.filter(action="case.address_changed").order_by("object_id")
    assert [(e.object_id, e.changes["address"]["zip_code"]) for e in on_cases] == [
        ("EAC2190000001", "05452"),
        ("EAC2190000002", "05452"),
    ]


# --- 7. urgency -------------------------------------------------------------------------


NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)  # Monday 10:00 in Vermont


@pytest.mark.parametrize(
    ("type_", "urgency", "first", "final"),
    [
        ("general_case_inquiry", "normal", "17 Nov 2026, 10:00 EST", "17 Nov 2026, 10:00 EST"),
        ("general_case_inquiry", "urgent", "4 Nov 2026, 10:00 EST", "17 Nov 2026, 10:00 EST"),
        ("complaint", "urgent", "4 Nov 2026, 10:00 EST", "17 Nov 2026, 10:00 EST"),
        ("change_of_address", "urgent", "9 Nov 2026, 10:00 EST", "9 Nov 2026, 10:00 EST"),
        ("tier2_callback", "urgent", "5 Nov 2026, 10:00 EST", "5 Nov 2026, 10:00 EST"),
    ],
)
def test_the_preview_shows_the_due_dates_of_the_urgency(
    tier1: User, type_: str, urgency: str, first: str, final: str
) -> None:
    make_case(RECEIPT, office="ESC")
    data: dict[str, Any] = {**FORM, **ADDRESS, "receipt_number": RECEIPT}
    data.update(type=type_, urgency=urgency, preview="1")
    with time_machine.travel(NOW, tick=False):
        response = client_for(tier1).post(URL, data)
    preview = response.context["preview"]
    assert preview is not None
    page = response.content.decode()
    assert "First response due by <time" in page
    shown = re.findall(r'due by <time datetime="[^"]+">([^<]+)</time>', page)
    assert shown == [first, final]


# --- 8. Enter saves; rule codes -------------------------------------------------------------


def test_the_first_submit_button_saves(tier1: User) -> None:
    page = client_for(tier1).get(URL).content.decode()
    form = page[page.index('<form id="intake-form"') :]
    buttons = re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', form)
    assert buttons[:2] == ["Save the request", "Check where it goes and when it is due"]
    first = re.search(r'<button type="submit"[^>]*>', form)
    assert first is not None
    assert "name=" not in first.group(0)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.TIER1, False),
        (Role.TIER2, False),
        (Role.OFFICE_STAFF, False),
        (Role.SUPERVISOR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_rule_codes_are_shown_only_to_those_who_manage_routing(
    reference: None, role: str, shown: bool
) -> None:
    make_case(RECEIPT, office="ESC")
    user = make_user(role=role, offices=["ESC"])
    response = client_for(user).post(URL, {**FORM, "receipt_number": RECEIPT, "preview": "1"})
    page = response.content.decode()
    assert "Why: The case record places the file at ESC." in page
    assert ("(rule case_office)" in page) is shown


# --- 6. attachments at intake -------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_files_of_evidence_are_saved_with_the_request(
    tier1: User, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_case(RECEIPT, office="ESC")
    files = [
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("ticket.pdf", PDF, content_type="application/pdf"),
    ]
    response = client_for(tier1).post(
        URL, {**FORM, "receipt_number": RECEIPT, "attachments": files}
    )
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert sorted(a.original_name for a in sr.attachments.all()) == ["letter.pdf", "ticket.pdf"]
    assert AuditEvent.objects.filter(action="service_request.attachment_added").count() == 2


def test_a_refused_file_leaves_nothing_written(tier1: User, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_case(RECEIPT, office="ESC")
    client = client_for(tier1)
    before = _written()
    files = [
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("notes.txt", b"plain text", content_type="application/pdf"),
    ]
    response = client.post(URL, {**FORM, "receipt_number": RECEIPT, "attachments": files})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "attachments": ["notes.txt: Attach a PDF, JPEG or PNG file."]
    }
    assert _written() == before
    assert list(tmp_path.iterdir()) == []
