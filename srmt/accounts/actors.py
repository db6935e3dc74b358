"""Who acts: a signed-in account (staff, customer or representative) or the system.

Services take an `Actor` (docs/adr/0027-customers-and-representatives-as-actors.md). An
account is a `User` of some `kind`; background work (the sweep, delivery, imports) acts as
`SYSTEM`, which is not an account: it is never signed in, holds no role and cannot be given
one, so nothing a person does can be mistaken for it, nor it for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from django.contrib.auth.models import AnonymousUser

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User

ActorKind: TypeAlias = Literal["staff", "customer", "representative", "system", "anonymous"]


@dataclass(frozen=True)
class SystemActor:
    """The system itself, doing background work. Audited as `audit_name`, with no user.

    `is_authenticated` is False so that every check written for people (policies, audit,
    Django's own) treats it as nobody unless it names the system explicitly."""

    audit_name: str = "system"
    is_authenticated: Literal[False] = False
    is_active: Literal[True] = True
    is_1367_cleared: Literal[False] = False

    def get_username(self) -> str:
        return self.audit_name


SYSTEM: Final = SystemActor()

Actor: TypeAlias = User | SystemActor
# What a policy may be asked about: an actor, or a visitor who is not signed in.
Viewer: TypeAlias = User | SystemActor | AnonymousUser


def kind_of(actor: Viewer | None) -> ActorKind:
    """The kind of `actor`: an inactive or anonymous visitor is "anonymous"."""
    if isinstance(actor, SystemActor):
        return "system"
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        return "anonymous"
    return AccountKind(actor.kind).value  # type: ignore[return-value]


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)
