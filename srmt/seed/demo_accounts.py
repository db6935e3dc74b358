"""The demo representative (issue 11, ADR 42): an attorney's online account, verified, with
an authenticator already set up from a known secret, and a Form G-28 on one demo case, so
that "Your clients' cases" can be tried at once. Customers sign up themselves (README)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from srmt.accounts import services as accounts
from srmt.accounts.actors import SYSTEM
from srmt.accounts.choices import AccountKind, RepresentativeKind
from srmt.accounts.models import User
from srmt.cases import links
from srmt.cases.choices import PartyRole
from srmt.cases.models import Case, Representation

DEMO_REPRESENTATIVE_EMAIL = "attorney@demo.example"
DEMO_REPRESENTATIVE_USERNAME = "demo_attorney"
# Base32, for an authenticator app's "enter a setup key" (demo only: printed by `srmt demo`).
DEMO_TOTP_SECRET = "SRMTDEMOATTORNEY2345SRMTDEMOATTY"  # noqa: S105


@dataclass(frozen=True)
class DemoRepresentative:
    email: str
    totp_secret: str
    receipt_number: str


@transaction.atomic
def ensure_demo_representative(password: str) -> DemoRepresentative:
    user = User.objects.filter(username=DEMO_REPRESENTATIVE_USERNAME).first()
    if user is None:
        user = User(
            username=DEMO_REPRESENTATIVE_USERNAME,
            email=DEMO_REPRESENTATIVE_EMAIL,
            kind=AccountKind.REPRESENTATIVE,
            role="",
        )
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(
            user=user, email=DEMO_REPRESENTATIVE_EMAIL, verified=True, primary=True
        )
        accounts.create_public_profile(
            user,
            prefs=accounts.ContactPreferences(),
            representative_kind=RepresentativeKind.ATTORNEY,
            number="4512345",
            bar_state="NY",
        )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    g28 = Representation.objects.filter(account=user, withdrawn_on=None).first()
    if g28 is None:
        case = Case.objects.filter(is_protected=False).order_by("receipt_number").first()
        if case is None:
            return DemoRepresentative(DEMO_REPRESENTATIVE_EMAIL, DEMO_TOTP_SECRET, "")
        g28 = links.record_representation(
            user,
            case,
            role=PartyRole.ATTORNEY,
            accepted_on=timezone.localdate(),
            actor=SYSTEM,
        )
    return DemoRepresentative(DEMO_REPRESENTATIVE_EMAIL, DEMO_TOTP_SECRET, g28.case.receipt_number)
