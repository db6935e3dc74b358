"""Representatives (issue 11 §2, ADR 42): they sign up with their bar or EOIR number, the
case systems' Forms G-28 carry the same number, and the "Your clients' cases" page shows the
cases where one is in effect, to that representative only."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import PublicProfile, User
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.cases.errors import InvalidPerson
from srmt.cases.models import Case, CaseParty, Representation
from srmt.cases.services import CaseData, PartyData, upsert_case
from srmt.portal.views.clients import case_url
from srmt.testing.factories import make_customer, make_user

# Every public URL this module's isolation tests cover (common brief).
ISOLATION_COVERED = {"portal:clients", "portal:account"}

PASSWORD = "Bright-river-canoe-41"
BACKEND = "srmt.accounts.backends.PublicAccountBackend"


def case_data(receipt: str, *, attorney_id: str = "", g28: bool = True, client: str = "Ana Diaz"):
    parties = [PartyData(name=client, role="beneficiary")]
    if attorney_id or g28:
        parties.append(
            PartyData(
                name="Lee Attorney",
                role="attorney",
                has_g28_on_file=g28,
                representative_id=attorney_id,
            )
        )
    return CaseData(
        receipt_number=receipt,
        form_type="I-130",
        office="ESC",
        received_on=dt.date(2026, 3, 2),
        status_text="Case Was Received",
        parties=parties,
    )


def sign_up_representative(client: Client, email: str, **extra: str):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "kind": "representative",
        "language": "en",
        "representative_kind": "attorney",
        "bar_state": "NY",
        "representative_number": "451-2345",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def representative(username: str, *, kind: str = "attorney", number: str, state: str = "NY"):
    from srmt.accounts import services

    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        kind=AccountKind.REPRESENTATIVE,
        role="",
    )
    services.create_public_profile(
        user,
        prefs=services.ContactPreferences(),
        representative_kind=kind,
        number=number,
        bar_state=state,
    )
    return user


def in_effect(account: User) -> list[str]:
    return sorted(
        Representation.objects.filter(account=account, withdrawn_on=None).values_list(
            "case__receipt_number", flat=True
        )
    )


def test_a_representative_who_signs_up_later_gets_the_g28s_on_file(db):
    upsert_case(case_data("EAC2690000001", attorney_id="ny-4512345"), actor=None)
    upsert_case(case_data("EAC2690000002", attorney_id="CA-4512345"), actor=None)

    response = sign_up_representative(Client(), "lee@example.com")

    assert response.status_code == 302
    account = User.objects.get(email="lee@example.com")
    profile = PublicProfile.objects.get(user=account)
    assert (account.kind, profile.representative_key, profile.representative_number) == (
        "representative",
        "bar:NY:4512345",
        "4512345",
    )
    assert in_effect(account) == ["EAC2690000001"]
    event = AuditEvent.objects.get(action=AuditAction.REPRESENTATION_RECORDED)
    assert (event.object_id, event.changes["account"]) == ("EAC2690000001", account.pk)


def test_a_case_written_after_the_account_records_the_g28_and_dropping_it_withdraws_it(db):
    lee = representative("lee", number="4512345")

    upsert_case(case_data("EAC2690000001", attorney_id="NY-4512345"), actor=None)
    recorded = in_effect(lee)
    upsert_case(case_data("EAC2690000001", attorney_id="NY-4512345"), actor=None)
    again = Representation.objects.filter(account=lee).count()
    upsert_case(case_data("EAC2690000001", g28=False, client="Ana Diaz"), actor=None)

    assert recorded == ["EAC2690000001"]
    assert again == 1
    assert in_effect(lee) == []
    assert AuditEvent.objects.filter(action=AuditAction.REPRESENTATION_WITHDRAWN).count() == 1


def test_hand_recorded_g28s_are_left_alone(db):
    from srmt.testing.factories import make_case, make_representative

    case = make_case("EAC2690000009")
    by_hand = make_representative("rita", cases=[case])

    upsert_case(case_data("EAC2690000009", g28=False), actor=None)

    assert in_effect(by_hand) == ["EAC2690000009"]


@pytest.mark.parametrize(
    "party",
    [
        PartyData(name="Lee", role="attorney", has_g28_on_file=True, representative_id="ZZ-1"),
        PartyData(name="Lee", role="attorney", has_g28_on_file=True, representative_id="NY-"),
        PartyData(name="Lee", role="attorney", has_g28_on_file=False, representative_id="NY-1"),
        PartyData(name="Ana", role="beneficiary", representative_id="NY-1"),
    ],
)
def test_malformed_representative_ids_are_refused_with_nothing_written(db, party):
    data = CaseData(
        receipt_number="EAC2690000001",
        form_type="I-130",
        office="ESC",
        received_on=dt.date(2026, 3, 2),
        parties=[party],
    )

    with pytest.raises(InvalidPerson):
        upsert_case(data, actor=None)

    assert (Case.objects.count(), CaseParty.objects.count()) == (0, 0)


def test_import_cases_carries_the_representative_id(db, tmp_path):
    lee = representative("lee", kind="accredited_representative", number="R-12345", state="")
    path = tmp_path / "cases.csv"
    path.write_text(
        "receipt_number,form_type,office,received_on,beneficiary_name,"
        "accredited_representative_name,accredited_representative_g28,"
        "accredited_representative_representative_id\n"
        "EAC2690000003,I-130,ESC,2026-03-02,Ana Diaz,Lee Rep,yes,r12345\n"
    )

    call_command("import_cases", str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)

    assert in_effect(lee) == ["EAC2690000003"]


def test_sign_up_refuses_a_number_already_in_use_or_malformed(db):
    representative("lee", number="4512345")

    taken = sign_up_representative(Client(), "other@example.com")
    no_state = sign_up_representative(Client(), "third@example.com", bar_state="")
    no_kind = sign_up_representative(Client(), "fourth@example.com", representative_kind="")

    assert "An account already uses this number" in taken.content.decode()
    assert "Choose the state of your bar" in no_state.content.decode()
    assert "Say whether you are an attorney" in no_kind.content.decode()
    assert User.objects.filter(kind=AccountKind.REPRESENTATIVE).count() == 1


# --- the clients page: isolation and every actor kind ---------------------------------------


@pytest.fixture
def two_representatives(db):
    lee = representative("lee", number="4512345")
    kim = representative("kim", number="7777777")
    upsert_case(case_data("EAC2690000001", attorney_id="NY-4512345", client="Ana Diaz"), actor=None)
    upsert_case(case_data("EAC2690000002", attorney_id="NY-7777777", client="Bo Kim"), actor=None)
    return lee, kim


def signed_in(user: User) -> Client:
    """A session as the public sign-in makes one, for an account with its authenticator."""
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_each_representative_sees_only_their_clients_cases(two_representatives):
    lee, kim = two_representatives

    lee_page = signed_in(lee).get(reverse("portal:clients")).content.decode()
    kim_page = signed_in(kim).get(reverse("portal:clients")).content.decode()

    assert ("EAC2690000001" in lee_page, "EAC2690000002" in lee_page) == (True, False)
    assert ("EAC2690000002" in kim_page, "EAC2690000001" in kim_page) == (True, False)
    assert ("Ana Diaz" in lee_page, "Bo Kim" in lee_page) == (True, False)
    assert f'href="{case_url("EAC2690000001")}"' in lee_page
    listed = AuditEvent.objects.get(action="case.listed", actor=lee)
    assert listed.changes == {"ids": ["EAC2690000001"]}


def test_a_withdrawn_g28_leaves_the_page(two_representatives):
    lee, _kim = two_representatives
    upsert_case(case_data("EAC2690000001", g28=False), actor=None)

    page = signed_in(lee).get(reverse("portal:clients")).content.decode()

    assert "EAC2690000001" not in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("customer", 404), ("staff", 302), ("representative", 200)],
)
def test_clients_page_by_actor_kind(two_representatives, who, expected):
    lee, _kim = two_representatives
    client = Client()
    if who == "customer":
        client = signed_in(make_customer("ana"))
    elif who == "staff":
        client.force_login(make_user("olga.officer"))
    elif who == "representative":
        client = signed_in(lee)

    response = client.get(reverse("portal:clients"))

    assert response.status_code == expected


def test_posting_to_the_clients_page_is_refused(two_representatives):
    lee, _kim = two_representatives

    assert signed_in(lee).post(reverse("portal:clients")).status_code == 405


def test_account_page_changes_only_the_signed_in_account(two_representatives):
    lee, kim = two_representatives
    before = PublicProfile.objects.get(user=kim)

    signed_in(lee).post(
        reverse("portal:account"),
        {"phone": "202-555-0123", "language": "en", "time_zone": "America/Chicago", "user": kim.pk},
    )

    after = PublicProfile.objects.get(user=kim)
    assert (after.phone, after.time_zone) == (before.phone, before.time_zone)
    assert PublicProfile.objects.get(user=lee).phone == "+12025550123"


def _api_client():
    from rest_framework.test import APIClient

    from srmt.accounts.choices import Role

    client = APIClient()
    client.force_authenticate(make_user("cases", role=Role.CASE_SYSTEM, is_1367_cleared=True))
    return client


def _api_body(representative_id: str) -> dict[str, object]:
    return {
        "form_type": "I-130",
        "office": "NSC",
        "received_on": "2026-02-03",
        "parties": [
            {"name": "Ana Pérez", "role": "petitioner"},
            {
                "name": "Lee Law",
                "role": "attorney",
                "has_g28_on_file": True,
                "representative_id": representative_id,
            },
        ],
    }


def test_the_cases_api_carries_the_representative_id(db):
    lee = representative("lee", number="4512345")

    response = _api_client().put(
        "/api/v1/cases/LIN2190123456/", _api_body("NY-4512345"), format="json"
    )

    assert response.status_code == 201
    assert in_effect(lee) == ["LIN2190123456"]


def test_the_cases_api_refuses_a_malformed_representative_id_with_nothing_written(db):
    response = _api_client().put("/api/v1/cases/LIN2190123456/", _api_body("XX-12"), format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_person")
    assert Case.objects.count() == 0
