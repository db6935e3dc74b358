"""Repeat requests: the same customer asking again about the same case and type.

At intake, open requests and requests closed within SRMT_REPEAT_WINDOW_DAYS on the same
receipt number and of the same type are *candidates*. The caller says what to do with them
(docs/adr/0013-expedites-and-repeats.md): link the new request as a repeat, merge it into an
open one as a duplicate (it is kept, closed as merged), or record it as new. With
repeat_check "ask" and no choice, submission is refused with `possible_repeat` and the
candidates.

A *thread* is the first request (repeat_of None) and every request linked to it. Every
request of a thread carries the thread's repeat_count: how many times the customer asked
again. A case's repeat count is the number of linked or merged repeats on its receipt number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.core.references import normalize_reference
from srmt.service_requests import core, policies, reasons
from srmt.service_requests.choices import Status
from srmt.service_requests.errors import InvalidRepeat, PossibleRepeat
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import ServiceRequest, ServiceRequestType


class RepeatCheck(StrEnum):
    ASK = "ask"  # refuse with possible_repeat when candidates exist and no choice was made
    IGNORE = "ignore"  # record as a new request whatever the candidates


@dataclass(frozen=True)
class RepeatChoice:
    """What the caller decided: link to `repeat_of`, merge into `merge_into`, or neither."""

    repeat_of: str = ""
    merge_into: str = ""
    check: str = RepeatCheck.ASK


@dataclass(frozen=True)
class RepeatPlan:
    target: ServiceRequest | None = None
    merge: bool = False


def candidates(
    actor: User, *, receipt_number: str, type_code: str, at: dt.datetime | None = None
) -> list[ServiceRequest]:
    """Open or recently closed requests `actor` may see on this case and of this type.

    Merged requests are left out: they point at their original, which is listed instead.
    """
    if not receipt_number:
        return []
    cutoff = (at or timezone.now()) - dt.timedelta(days=settings.SRMT_REPEAT_WINDOW_DAYS)
    qs = (
        policies.visible_requests(actor)
        .filter(receipt_number=receipt_number, type__code=type_code)
        .filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=cutoff))
        .exclude(status=Status.MERGED)
        .select_related("type", "office", "repeat_of")
        .order_by("created_at", "id")
    )
    return list(qs)


def case_repeat_count(actor: User, receipt_number: str) -> int:
    """How many requests `actor` may see on this receipt number were linked or merged as
    repeats (requests they may not see, e.g. on a 1367 case, are not counted)."""
    if not receipt_number:
        return 0
    return (
        policies.visible_requests(actor)
        .filter(receipt_number=receipt_number, repeat_of__isnull=False)
        .count()
    )


def plan_for(
    choice: RepeatChoice | None,
    *,
    actor: User,
    request_type: ServiceRequestType,
    receipt_number: str,
) -> RepeatPlan:
    """Check the caller's choice against the current candidates; refuse what does not fit."""
    if choice is None:  # internal callers (demo data, imports): no repeat handling
        return RepeatPlan()
    if choice.check not in RepeatCheck.__members__.values():
        raise InvalidRepeat(_("repeat_check is ask or ignore."), field="repeat_check")
    if choice.repeat_of and choice.merge_into:
        raise InvalidRepeat(
            _("Either link the request as a repeat or merge it, not both."), field="merge_into"
        )
    wanted = normalize_reference(choice.repeat_of or choice.merge_into)
    if not wanted and choice.check == RepeatCheck.IGNORE:
        return RepeatPlan()
    found = candidates(actor, receipt_number=receipt_number, type_code=request_type.code)
    if wanted:
        return _plan_for_target(found, wanted, merge=bool(choice.merge_into))
    if found and choice.check == RepeatCheck.ASK:
        raise PossibleRepeat(
            _(
                "This case already has open or recent requests of this type. Link the new "
                "request as a repeat, merge it into an open one, or record it as new."
            ),
            field="repeat",
            candidates=found,
            case_repeat_count=case_repeat_count(actor, receipt_number),
        )
    return RepeatPlan()


def _plan_for_target(found: list[ServiceRequest], wanted: str, *, merge: bool) -> RepeatPlan:
    field = "merge_into" if merge else "repeat_of"
    target = next((sr for sr in found if sr.reference == wanted), None)
    if target is None:
        raise InvalidRepeat(
            _("%(ref)s is not an open or recent request of this type on this case.")
            % {"ref": wanted},
            field=field,
        )
    if merge and not target.is_open:
        raise InvalidRepeat(
            _("%(ref)s is closed: link the new request as a repeat instead of merging it.")
            % {"ref": wanted},
            field=field,
        )
    return RepeatPlan(target=target, merge=merge)


def apply_plan(sr: ServiceRequest, plan: RepeatPlan, *, actor: User) -> None:
    """Link the new request `sr` to its thread (and merge it when planned), in the caller's
    transaction. The thread's first request is locked so concurrent repeats count right."""
    if plan.target is None:
        return
    root_id = plan.target.repeat_of_id or plan.target.pk
    root = ServiceRequest.objects.select_for_update().get(pk=root_id)
    count = root.repeat_count + 1
    ServiceRequest.objects.filter(Q(pk=root.pk) | Q(repeat_of=root)).update(
        repeat_count=count, version=F("version") + 1, updated_at=timezone.now()
    )
    sr.repeat_of = root
    sr.repeat_count = count
    sr.save(update_fields=["repeat_of", "repeat_count"])
    if plan.merge:
        sr.duplicate_of = plan.target
        core.move(
            sr,
            Status.MERGED,
            actor=actor,
            code=reasons.REPEAT_MERGED,
            params={"ref": plan.target.reference},
        )
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_REPEAT_RECORDED,
        object_type="service_request",
        object_id=sr.reference,
        changes={
            "repeat_of": root.reference,
            "merged_into": plan.target.reference if plan.merge else None,
            "repeat_count": count,
        },
    )
