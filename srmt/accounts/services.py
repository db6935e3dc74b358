"""Writes on accounts: API tokens (create, authenticate, revoke) and the sign-in audit trail.

Each function takes the acting user (None for the system, e.g. a management command) and
records an audit event in the same transaction. See docs/adr/0019-api-tokens.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import available_timezones

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts import representatives, tokens
from srmt.accounts.choices import AccountKind
from srmt.accounts.errors import (
    ApiTokenRefused,
    InvalidContactPreferences,
    InvalidRepresentativeNumber,
    InvalidTokenLifetime,
    InvalidTokenName,
    NotYourToken,
    UserDeactivated,
    WrongAccount,
)
from srmt.accounts.models import ApiToken, PublicProfile, User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100
# last_used_at is for people ("is this token still in use?"), not for the audit log, which
# has every call: writing it once a minute at most keeps API calls free of writes.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
USERNAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret. The secret exists only here: show it once, then drop it."""

    token: ApiToken
    secret: str


def can_revoke(actor: User, token: ApiToken) -> bool:
    """Users revoke their own tokens; administrators (permission) anyone's."""
    return actor.pk == token.user_id or actor.has_perm("accounts.revoke_apitoken")


def _lifetime(days: int | None) -> dt.timedelta:
    days = settings.SRMT_API_TOKEN_DAYS if days is None else days
    maximum = settings.SRMT_API_TOKEN_MAX_DAYS
    if not 1 <= days <= maximum:
        raise InvalidTokenLifetime(
            _("Choose a lifetime between 1 and %(maximum)d days.") % {"maximum": maximum},
            field="days",
        )
    return dt.timedelta(days=days)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise InvalidTokenName(
            _("Give the token a name of 1 to %(max)d characters, such as where it is used.")
            % {"max": NAME_MAX_LENGTH},
            field="name",
        )
    return name


@transaction.atomic
def create_api_token(
    user: User, *, name: str, actor: User | None, days: int | None = None
) -> IssuedToken:
    """Make a token for `user`, valid for `days` (default SRMT_API_TOKEN_DAYS).

    Only the user makes their own tokens (or the system, actor None): nobody, administrators
    included, can hold a credential that acts as someone else.
    """
    if actor is not None and actor.pk != user.pk:
        raise NotYourToken(_("You can only create tokens for yourself."))
    if not user.is_active:
        raise UserDeactivated(
            _("The user %(username)s is deactivated; activate them first.")
            % {"username": user.get_username()}
        )
    if not user.is_agency_staff:
        raise NotYourToken(_("The API is for agency staff: this account cannot hold a token."))
    name = _clean_name(name)
    lifetime = _lifetime(days)
    prefix, secret = tokens.new_token()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=tokens.hash_token(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    audit.record(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        object_type="api_token",
        object_id=str(token.pk),
        changes={
            "user": user.pk,
            "name": name,
            "prefix": prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Stop the token from working, for good. Revoking a revoked token changes nothing."""
    if not can_revoke(actor, token):
        raise NotYourToken(_("You can only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKED,
        object_type="api_token",
        object_id=str(token.pk),
        changes={"user": token.user_id, "name": token.name, "prefix": token.prefix},
    )
    return token


def authenticate_api_token(secret: str) -> ApiToken:
    """The token whose secret this is, if it may act now; else ApiTokenRefused.

    The lookup is by hash: comparing hashes in the index reveals nothing usable about a
    secret (see the ADR), and the secret itself is never compared or stored.
    """
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=tokens.hash_token(secret))
        .first()
    )
    if token is None:
        raise ApiTokenRefused(_("Invalid token."))
    if token.revoked_at is not None:
        raise ApiTokenRefused(_("This token was revoked."))
    if token.expires_at <= now:
        raise ApiTokenRefused(_("This token has expired."))
    if not token.user.is_active:
        raise ApiTokenRefused(_("This token's user is deactivated."))
    if not token.user.is_agency_staff:
        raise ApiTokenRefused(_("Invalid token."))  # the API is for staff only (ADR 27)
    _mark_used(token, at=now)
    return token


def _mark_used(token: ApiToken, *, at: dt.datetime) -> None:
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=at - LAST_USED_RESOLUTION)
    # A conditional UPDATE: of many calls racing past the check above, one writes.
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=at):
        token.last_used_at = at


# --- sign-in audit trail ------------------------------------------------------------------
# Called by the receivers in accounts/signals.py. Never the password; the username someone
# typed is kept (bounded) because it is what an investigation of a failed sign-in needs.


def record_sign_in(user: User, *, ip_address: str) -> None:
    _record_user_event(user, AuditAction.USER_SIGNED_IN, ip_address=ip_address)


def record_sign_out(user: User, *, ip_address: str) -> None:
    _record_user_event(user, AuditAction.USER_SIGNED_OUT, ip_address=ip_address)


def record_sign_in_failure(username: str, *, ip_address: str) -> None:
    _record_attempt(AuditAction.USER_SIGN_IN_FAILED, username, ip_address=ip_address)


def record_lockout(username: str, *, ip_address: str) -> None:
    _record_attempt(AuditAction.USER_LOCKED_OUT, username, ip_address=ip_address)


def _record_user_event(user: User, action: AuditAction, *, ip_address: str) -> None:
    audit.record(
        actor=user,
        action=action,
        object_type="user",
        object_id=str(user.pk),
        changes={"ip_address": ip_address},
    )


def _record_attempt(action: AuditAction, username: str, *, ip_address: str) -> None:
    username = username[:USERNAME_MAX_LENGTH]
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(
        actor=None,
        action=action,
        object_type="user",
        object_id="" if user_id is None else str(user_id),
        changes={"username": username, "ip_address": ip_address},
    )


# --- accounts outside the agency (ADR 27) ---------------------------------------------------


@transaction.atomic
def create_outside_account(
    username: str, *, kind: AccountKind, email: str, actor: User | None
) -> User:
    """Make a customer or representative account: no role, office, clearance or admin
    access, and no usable password (they will sign in through the portal's identity
    provider, never through the staff sign-in)."""
    if kind == AccountKind.STAFF:
        raise ValueError("Staff accounts are made in the admin, with a role.")
    account = User(username=username, email=email, kind=kind, role="")
    account.set_unusable_password()
    account.save()
    audit.record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        object_type="user",
        object_id=str(account.pk),
        changes={"kind": kind.value},
    )
    return account


# --- customers' and representatives' own accounts (ADR 42) ----------------------------------


@dataclass(frozen=True)
class ContactPreferences:
    phone: str = ""  # E.164, or ""
    sms_consent: bool = False
    language: str = "en"
    time_zone: str = "America/New_York"


def _check_preferences(prefs: ContactPreferences) -> None:
    if prefs.sms_consent and not prefs.phone:
        raise InvalidContactPreferences(
            _("Give a mobile phone number to get text messages."), field="sms_consent"
        )
    if prefs.language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidContactPreferences(_("Choose English or Spanish."), field="language")
    if prefs.time_zone not in available_timezones():
        raise InvalidContactPreferences(_("Choose a time zone from the list."), field="time_zone")


@transaction.atomic
def create_public_profile(
    account: User,
    *,
    prefs: ContactPreferences,
    representative_kind: str = "",
    number: str = "",
    bar_state: str = "",
) -> PublicProfile:
    """Give a new customer or representative account its profile (at sign-up; the account
    acts for itself). A representative's identifier must be well formed and not already
    held by another account."""
    if account.kind not in (AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE):
        raise WrongAccount(_("Only customers and representatives have a public profile."))
    _check_preferences(prefs)
    key = ""
    if account.kind == AccountKind.REPRESENTATIVE:
        try:
            key = representatives.key_for(representative_kind, number=number, state=bar_state)
        except representatives.InvalidIdentifier:
            raise InvalidRepresentativeNumber(
                _("Give your bar number and the state of your bar, or your EOIR number."),
                field="representative_number",
            ) from None
        if PublicProfile.objects.filter(representative_key=key).exists():
            raise InvalidRepresentativeNumber(
                _("An account already uses this number. Call us if it is yours."),
                field="representative_number",
            )
        number = representatives.normal_number(number)
        bar_state = bar_state.strip().upper() if representative_kind == "attorney" else ""
    else:
        representative_kind, number, bar_state = "", "", ""
    if account.language != prefs.language:
        account.language = prefs.language
        account.save(update_fields=["language"])
    profile = PublicProfile.objects.create(
        user=account,
        phone=prefs.phone,
        sms_consent=prefs.sms_consent,
        time_zone=prefs.time_zone,
        representative_kind=representative_kind,
        bar_state=bar_state,
        representative_number=number,
        representative_key=key,
    )
    audit.record(
        actor=account,
        action=AuditAction.PUBLIC_PROFILE_CREATED,
        object_type="user",
        object_id=str(account.pk),
        changes={"kind": account.kind, "representative": key},
    )
    return profile


@transaction.atomic
def change_contact_preferences(account: User, prefs: ContactPreferences) -> PublicProfile:
    """The account holder changes how they are reached; audited with what changed."""
    _check_preferences(prefs)
    profile, _created = PublicProfile.objects.select_for_update().get_or_create(user=account)
    changes: dict[str, list[object]] = {}
    for name in ("phone", "sms_consent", "time_zone"):
        old, new = getattr(profile, name), getattr(prefs, name)
        if old != new:
            changes[name] = [old, new]
            setattr(profile, name, new)
    if changes:
        profile.save(update_fields=list(changes))
    if account.language != prefs.language:
        changes["language"] = [account.language, prefs.language]
        account.language = prefs.language
        account.save(update_fields=["language"])
    if changes:
        audit.record(
            actor=account,
            action=AuditAction.PUBLIC_PROFILE_CHANGED,
            object_type="user",
            object_id=str(account.pk),
            changes=changes,
        )
    return profile
