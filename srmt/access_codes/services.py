"""Every write about online access codes (ADR 43): issue (by the case systems, or for a
customer's request), redeem (link the account to the person), revoke, and request a new
code. Each is atomic and audited; a refused redemption changes nothing but the count of
attempts, which the rate limits and the lockout read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from srmt.access_codes import codes
from srmt.access_codes.choices import Delivery
from srmt.access_codes.errors import (
    CannotLink,
    CaseNotFound,
    ExpiredCode,
    LockedOut,
    NotOnCase,
    TooManyAttempts,
    UsedCode,
    WrongCode,
)
from srmt.access_codes.models import AccessCodeAttempt, AccessCodeRequest, OnlineAccessCode
from srmt.accounts.actors import SYSTEM, Actor, SystemActor
from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases import access, links
from srmt.cases.choices import REPRESENTATIVE_ROLES, LinkMethod, PartyRole
from srmt.cases.models import Case, CaseParty, CustomerLink, Person
from srmt.cases.services import require_case_writer
from srmt.core.receipts import normalize_receipt_number
from srmt.core.references import new_reference
from srmt.notifications import delivery
from srmt.notifications.choices import DeliveryChannel, MessageKind
from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import Target, add_target

I134A = "I-134A"
# The agency's time zone for the expected date of a new code (business days).
AGENCY_TIME_ZONE = "America/New_York"
# Whose code a representative's request is for: the first of these roles on the case.
PRINCIPAL_ROLES = (
    PartyRole.APPLICANT,
    PartyRole.BENEFICIARY,
    PartyRole.PETITIONER,
    PartyRole.EMPLOYER,
)


@dataclass(frozen=True)
class Issued:
    """A new code: the row, and the code itself (never stored: shown or sent once)."""

    code: OnlineAccessCode
    plaintext: str


def _user(actor: Actor) -> User | None:
    return None if isinstance(actor, SystemActor) else actor


def own_party(case: Case, person: Person) -> CaseParty | None:
    """The person's party on the case in their own right (not as a representative)."""
    return (
        CaseParty.objects.filter(case=case, person=person)
        .exclude(role__in=REPRESENTATIVE_ROLES)
        .first()
    )


def principal(case: Case) -> Person | None:
    """The person a representative's request is for: the applicant (else beneficiary,
    petitioner, employer)."""
    parties = {p.role: p.person for p in case.parties.select_related("person")}
    return next((parties[r] for r in PRINCIPAL_ROLES if r in parties), None)


def delivery_for(case: Case, party: CaseParty) -> str:
    """Account Acceptance Notices are mailed, except to Form I-134A beneficiaries, who get
    them by email (../shared/docs/domain.md section 9) when an email address is on file."""
    if (
        case.form_type.code.upper() == I134A
        and party.role == PartyRole.BENEFICIARY
        and party.person.email
    ):
        return Delivery.EMAIL
    return Delivery.LETTER


@transaction.atomic
def issue_code(
    case: Case,
    person: Person,
    *,
    actor: Actor,
    delivery_method: str | None = None,
    code: str | None = None,
) -> Issued:
    """Issue a new code for `person` on `case` (the case systems: the system, or a cleared
    user with the manage-cases capability). It replaces the person's earlier codes on the
    case. `delivery_method` None sends the Account Acceptance Notice the usual way (letter,
    or email for I-134A beneficiaries); `Delivery.NONE` only answers the code. `code` is
    for the demo data only (`srmt demo` prints the same code on every run)."""
    require_case_writer(_user(actor))
    return _issue(case, person, actor=actor, delivery_method=delivery_method, given=code)


def _issue(
    case: Case,
    person: Person,
    *,
    actor: Actor,
    delivery_method: str | None,
    reference: str = "",
    given: str | None = None,
) -> Issued:
    party = own_party(case, person)
    if party is None:
        raise NotOnCase(_("This person is not on this case in their own right."), field="person")
    if delivery_method is None:
        delivery_method = delivery_for(case, party)
    if delivery_method not in Delivery.values:
        raise NotOnCase(_("Choose letter, email or none."), field="delivery")
    if delivery_method == Delivery.EMAIL and not person.email:
        raise NotOnCase(_("There is no email address on file for this person."), field="delivery")
    now = timezone.now()
    plaintext = given if given and codes.normalize(given) else codes.new_code()
    salt = codes.new_salt()
    OnlineAccessCode.objects.filter(case=case, person=person, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    row = OnlineAccessCode.objects.create(
        case=case,
        person=person,
        salt=salt,
        digest=codes.digest(plaintext, salt),
        issued_at=now,
        expires_at=now + dt.timedelta(days=settings.SRMT_ACCESS_CODE_DAYS),
        issued_by=_user(actor),
        delivery=delivery_method,
    )
    if delivery_method != Delivery.NONE:
        _send_notice(row, plaintext, reference=reference or case.receipt_number)
    audit.record(
        actor=actor,
        action=AuditAction.ACCESS_CODE_ISSUED,
        object_type="case",
        object_id=case.receipt_number,
        changes={"code": row.pk, "person": person.pk, "delivery": delivery_method},
    )
    return Issued(row, plaintext)


def address_block(person: Person) -> str:
    """The letter's address block as SRMT knows it: the name, ZIP code and country. The
    print vendor completes the street address from the case systems' record."""
    lines = [person.name, person.zip_code, person.country]
    return "\n".join(line for line in lines if line)


def notice_text(code: OnlineAccessCode, plaintext: str) -> tuple[str, str]:
    """The Account Acceptance Notice's subject and body, in the person's language."""
    case, person = code.case, code.person
    with translation.override(person.language or "en"):
        subject = _("Account Acceptance Notice: your online access code")
        body = _(
            "Dear %(name)s,\n\n"
            "You can now follow your case online.\n\n"
            "Receipt number: %(receipt)s\n"
            "Form: %(form)s\n"
            "Online access code: %(code)s\n"
            "Use it by: %(expires)s\n\n"
            "How to use the code:\n"
            "1. Sign in to your online account (or make one).\n"
            '2. Choose "Link a case".\n'
            "3. Type your receipt number and this code.\n\n"
            "You can use the code only once. It works only for you and only for this case. "
            "Do not share it. If it stops working, you can ask for a new code online."
        ) % {
            "name": person.name,
            "receipt": case.receipt_number,
            "form": case.form_type.code,
            "code": plaintext,
            "expires": date_format(code.expires_at.date(), "DATE_FORMAT"),
        }
    return str(subject), str(body)


def _send_notice(code: OnlineAccessCode, plaintext: str, *, reference: str) -> None:
    subject, body = notice_text(code, plaintext)
    if code.delivery == Delivery.EMAIL:
        channel, to_address = DeliveryChannel.EMAIL, code.person.email
    else:
        channel, to_address = DeliveryChannel.MAIL, address_block(code.person)
    delivery.send_to_customer(
        actor=None,
        kind=MessageKind.ACCOUNT_ACCEPTANCE_NOTICE,
        channel=channel,
        to_address=to_address,
        subject=subject,
        body=body,
        language=code.person.language or "en",
        related_reference=reference,
        is_confidential=code.case.is_protected,
        redact=[plaintext],
    )


@transaction.atomic
def revoke_code(code: OnlineAccessCode, *, actor: Actor) -> OnlineAccessCode:
    """End a code before it expires (the case systems)."""
    require_case_writer(_user(actor))
    code = OnlineAccessCode.objects.select_for_update().select_related("case").get(pk=code.pk)
    if code.used_at is None and code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.ACCESS_CODE_REVOKED,
            object_type="case",
            object_id=code.case.receipt_number,
            changes={"code": code.pk},
        )
    return code


# --- Redeeming ---------------------------------------------------------------------------


def check_limits(account: User, client_ip: str, *, at: dt.datetime) -> None:
    """Refuse when the account is locked out of code entry (SRMT_ACCESS_CODE_FAILURE_LIMIT
    failures in a row within SRMT_ACCESS_CODE_LOCKOUT_MINUTES), or the account or the
    client address tried too often this hour (SRMT_ACCESS_CODE_ATTEMPTS_PER_HOUR)."""
    window = at - dt.timedelta(minutes=settings.SRMT_ACCESS_CODE_LOCKOUT_MINUTES)
    recent = list(
        AccessCodeAttempt.objects.filter(account=account, at__gt=window).order_by("-at", "-id")[
            : settings.SRMT_ACCESS_CODE_FAILURE_LIMIT
        ]
    )
    if len(recent) == settings.SRMT_ACCESS_CODE_FAILURE_LIMIT and not any(
        a.succeeded for a in recent
    ):
        until = recent[0].at + dt.timedelta(minutes=settings.SRMT_ACCESS_CODE_LOCKOUT_MINUTES)
        raise LockedOut(
            _(
                "You typed a wrong code too many times. For your safety, you cannot enter "
                "codes until %(time)s UTC."
            )
            % {"time": until.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")},
            retry_after=until,
        )
    hour = at - dt.timedelta(hours=1)
    limit = settings.SRMT_ACCESS_CODE_ATTEMPTS_PER_HOUR
    by_account = AccessCodeAttempt.objects.filter(account=account, at__gt=hour).count()
    by_ip = (
        AccessCodeAttempt.objects.filter(client_ip=client_ip, at__gt=hour).count()
        if client_ip
        else 0
    )
    if by_account >= limit or by_ip >= limit:
        raise TooManyAttempts(
            _("There were too many tries from here. Please try again in an hour."),
            retry_after=at + dt.timedelta(hours=1),
        )


def redeem(account: User, receipt_number: str, code: str, *, client_ip: str) -> CustomerLink:
    """Link `account` to the person a code was issued to, with the case's receipt number
    and the code. Refusals (WrongCode, ExpiredCode, UsedCode, CannotLink) change nothing
    but the attempts count; a wrong code, an unknown receipt number and a case the code is
    not for get the same answer."""
    now = timezone.now()
    check_limits(account, client_ip, at=now)
    number = normalize_receipt_number(receipt_number)
    try:
        link = _redeem(account, number, code, at=now)
    except (WrongCode, ExpiredCode, UsedCode) as refused:
        _record_attempt(account, client_ip, at=now, succeeded=False, why=refused.code)
        raise
    _record_attempt(account, client_ip, at=now, succeeded=True, why="")
    return link


@transaction.atomic
def _record_attempt(
    account: User, client_ip: str, *, at: dt.datetime, succeeded: bool, why: str
) -> None:
    AccessCodeAttempt.objects.create(
        account=account, client_ip=client_ip, at=at, succeeded=succeeded
    )
    if not succeeded:
        audit.record(
            actor=account,
            action=AuditAction.ACCESS_CODE_REFUSED,
            object_type="account",
            object_id=str(account.pk),
            changes={"reason": why},
        )


@transaction.atomic
def _redeem(account: User, number: str, raw: str, *, at: dt.datetime) -> CustomerLink:
    wrong = WrongCode(
        _("That receipt number and access code do not match. Check both and try again."),
        field="code",
    )
    if account.kind != AccountKind.CUSTOMER or not account.is_active:
        raise CannotLink(
            _(
                "Only a customer's own account can use an access code. Representatives see "
                "their clients' cases through their Form G-28."
            )
        )
    if not codes.normalize(raw):
        raise wrong
    case = Case.objects.filter(receipt_number=number).first()
    if case is None:
        raise wrong
    candidates = OnlineAccessCode.objects.select_for_update().filter(case=case)
    match = next((c for c in candidates if codes.matches(raw, c.salt, c.digest)), None)
    if match is None:
        raise wrong
    if match.used_at is not None:
        raise UsedCode(_("This code was already used. Each code works only once."), field="code")
    if match.revoked_at is not None or match.is_expired(at):
        raise ExpiredCode(
            _("This code has expired or was replaced by a newer one. You can ask for a new code."),
            field="code",
        )
    existing = CustomerLink.objects.in_effect().filter(person=match.person).first()
    if existing is not None and existing.account_id != account.pk:
        raise CannotLink(
            _(
                "This case is already linked to another online account. Please call the "
                "Contact Center."
            )
        )
    link = existing or links.link_customer(
        account, match.person, method=LinkMethod.ACCESS_CODE, actor=SYSTEM
    )
    match.used_at, match.used_by = at, account
    match.save(update_fields=["used_at", "used_by"])
    audit.record(
        actor=account,
        action=AuditAction.ACCESS_CODE_REDEEMED,
        object_type="case",
        object_id=case.receipt_number,
        changes={"code": match.pk, "person": match.person_id, "link": link.pk},
    )
    return link


# --- Requesting a new code ---------------------------------------------------------------


def expected_date(at: dt.datetime) -> dt.date:
    """When a new code should arrive: SRMT_ACCESS_CODE_REQUEST_BUSINESS_DAYS business days
    (federal holidays and weekends skipped, sla.deadlines) after `at`."""
    target = Target(settings.SRMT_ACCESS_CODE_REQUEST_BUSINESS_DAYS, TargetUnit.BUSINESS_DAYS)
    return add_target(at, target, time_zone=AGENCY_TIME_ZONE).astimezone(dt.UTC).date()


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _not_found() -> CaseNotFound:
    return CaseNotFound(
        _(
            "We could not find a case with those details. Check the receipt number, name and "
            "date of birth as they appear on your notice."
        ),
        field="receipt_number",
    )


def request_new_code(
    account: User,
    *,
    receipt_number: str,
    name: str = "",
    date_of_birth: dt.date | None = None,
    language: str = "en",
) -> AccessCodeRequest:
    """A customer asks for a new code (theirs expired, or never came): the receipt number,
    their name and date of birth must match a person on the case in their own right. A
    representative with a Form G-28 in effect asks on the applicant's behalf with the
    receipt number alone: the code goes to the applicant, never to the representative.
    The new code goes out on a new Account Acceptance Notice; the request gets a reference
    and an expected date, shown and emailed to the account. An unknown receipt number, a
    case the account may not know (8 U.S.C. 1367) and details that do not match get the
    same answer, and nothing is written."""
    now = timezone.now()
    day_ago = now - dt.timedelta(days=1)
    if (
        AccessCodeRequest.objects.filter(requested_by=account, requested_at__gt=day_ago).count()
        >= settings.SRMT_ACCESS_CODE_REQUESTS_PER_DAY
    ):
        raise TooManyAttempts(
            _("You asked for new codes many times today. Please try again tomorrow."),
            retry_after=now + dt.timedelta(days=1),
        )
    number = normalize_receipt_number(receipt_number)
    with transaction.atomic():
        case, person, on_behalf = _requested_for(account, number, name, date_of_birth, now)
        for _attempt in range(5):
            reference = new_reference("AC")
            if not AccessCodeRequest.objects.filter(reference=reference).exists():
                break
        issued = _issue(case, person, actor=account, delivery_method=None, reference=reference)
        try:
            with transaction.atomic():
                request = AccessCodeRequest.objects.create(
                    reference=reference,
                    case=case,
                    person=person,
                    requested_by=account,
                    on_behalf=on_behalf,
                    requested_at=now,
                    expected_on=expected_date(now),
                    code=issued.code,
                )
        except IntegrityError:  # pragma: no cover - 40 random bits collided twice
            raise TooManyAttempts(_("Please try again.")) from None
        audit.record(
            actor=account,
            action=AuditAction.ACCESS_CODE_REQUESTED,
            object_type="case",
            object_id=case.receipt_number,
            changes={"request": reference, "person": person.pk, "on_behalf": on_behalf},
        )
        if account.email:
            _acknowledge(request, account, language=language)
    return request


def _requested_for(
    account: User,
    number: str,
    name: str,
    date_of_birth: dt.date | None,
    at: dt.datetime,
) -> tuple[Case, Person, bool]:
    if account.kind == AccountKind.REPRESENTATIVE:
        case = access.represented_cases(account, on=at.date()).filter(receipt_number=number)
        found = case.first()
        person = principal(found) if found is not None else None
        if found is None or person is None:
            raise _not_found()
        return found, person, True
    if account.kind != AccountKind.CUSTOMER or date_of_birth is None or not name.strip():
        raise _not_found()
    found = Case.objects.filter(receipt_number=number).first()
    if found is None:
        raise _not_found()
    parties = (
        CaseParty.objects.filter(case=found, person__date_of_birth=date_of_birth)
        .exclude(role__in=REPRESENTATIVE_ROLES)
        .select_related("person")
    )
    party = next((p for p in parties if _same_name(p.person.name, name)), None)
    if party is None:
        raise _not_found()
    return found, party.person, False


def _acknowledge(request: AccessCodeRequest, account: User, *, language: str) -> None:
    with translation.override(language):
        subject = _("We received your request for a new access code (%(reference)s)") % {
            "reference": request.reference
        }
        body = _(
            "We received your request for a new online access code.\n\n"
            "Reference: %(reference)s\n"
            "You should get it by: %(date)s\n\n"
            "The code will come on an Account Acceptance Notice sent to the person on the "
            "case. This email does not contain the code."
        ) % {
            "reference": request.reference,
            "date": date_format(request.expected_on, "DATE_FORMAT"),
        }
    delivery.send_to_customer(
        actor=None,
        kind=MessageKind.ACCESS_CODE_REQUESTED,
        channel=DeliveryChannel.EMAIL,
        to_address=account.email,
        subject=str(subject),
        body=str(body),
        language=language,
        related_reference=request.reference,
        is_confidential=request.case.is_protected,
    )
