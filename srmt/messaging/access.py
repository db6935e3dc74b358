"""Who may see and write in which thread (ADR 45); 404 for everything else.

The customer side: an account sees a request's thread when it may see the request, and a
case's thread when it may see the case (`service_requests.policies`: a customer's own cases
and requests, a representative's cases with a Form G-28 in effect). The agency side: a
thread on a case protected by 8 U.S.C. 1367 only by 1367-cleared staff of the VAWA/T/U unit
(ESC-VAWA), whatever their role's national reach; any other thread by staff who may see its
request (or, for a case's thread, its case)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from srmt.accounts.actors import Actor, kind_of
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.messaging.errors import NotAllowedToMessage
from srmt.messaging.models import Message, MessageAttachment, Thread
from srmt.notifications.choices import DeliveryStatus
from srmt.offices.default_rules import VAWA_UNIT
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest

OUTSIDE_KINDS = frozenset({"customer", "representative"})


def is_outside(user: Actor) -> bool:
    return kind_of(user) in OUTSIDE_KINDS


def _in_scope(user: Actor) -> Q:
    requests = policies.visible_requests(user).values("pk")
    cases = policies.visible_cases(user).values("pk")
    return Q(service_request__in=requests) | Q(service_request__isnull=True, case__in=cases)


def in_cleared_unit(user: User) -> bool:
    """A 1367-cleared member of the VAWA/T/U unit (the only staff for protected threads)."""
    return bool(
        user.is_1367_cleared
        and user.can(Capability.VIEW)
        and user.offices.filter(code=VAWA_UNIT).exists()
    )


def visible_threads(user: Actor) -> QuerySet[Thread]:
    threads = Thread.objects.all()
    kind = kind_of(user)
    if kind == "system":
        return threads
    if kind == "anonymous" or not isinstance(user, User):
        return threads.none()
    if kind in OUTSIDE_KINDS:
        return threads.filter(_in_scope(user))
    if not user.can(Capability.VIEW):
        return threads.none()
    ordinary = threads.filter(is_protected=False).filter(_in_scope(user))
    if in_cleared_unit(user):
        return threads.filter(Q(is_protected=True) | Q(pk__in=ordinary.values("pk")))
    return ordinary


def get_thread(user: Actor, thread_id: int) -> Thread:
    thread = visible_threads(user).filter(pk=thread_id).first()
    if thread is None:
        raise NotAllowedToMessage("No conversation matches that id.")
    return thread


def may_answer(user: User) -> bool:
    """Staff who may write in a thread they can see: those who may respond to customers."""
    return user.can(Capability.RESPOND)


def held_notice() -> Exists:
    return Exists(
        Message.notices.through.objects.filter(
            message=OuterRef("pk"), notification__status=DeliveryStatus.HELD
        )
    )


def messages_for(user: Actor, thread: Thread) -> QuerySet[Message]:
    """The messages of `thread` as `user` may read them: the customer side never sees an
    agency message while one of its notices is held by the delivery gate."""
    messages = Message.objects.filter(thread=thread)
    if is_outside(user):
        messages = messages.filter(~held_notice())
    return messages


def unread_for(user: Actor, threads: QuerySet[Thread]) -> QuerySet[Message]:
    """The messages from the other side, in `threads`, that nobody on `user`'s side opened."""
    if is_outside(user):
        return Message.objects.filter(
            thread__in=threads, from_agency=True, read_at__isnull=True
        ).filter(~held_notice())
    return Message.objects.filter(thread__in=threads, from_agency=False, read_at__isnull=True)


def get_attachment(user: Actor, attachment_id: int) -> MessageAttachment:
    attachment = (
        MessageAttachment.objects.filter(
            pk=attachment_id, message__thread__in=visible_threads(user).values("pk")
        )
        .select_related("message")
        .first()
    )
    if (
        attachment is None
        or not messages_for(user, attachment.message.thread)
        .filter(pk=attachment.message_id)
        .exists()
    ):
        raise NotAllowedToMessage("No file matches that id.")
    return attachment


def unread_total(user: Actor) -> int:
    """The public menu's badge: unread agency messages for a customer or representative."""
    if not is_outside(user):
        return 0
    return unread_for(user, visible_threads(user)).count()


def request_threads(user: Actor, sr: ServiceRequest) -> QuerySet[Thread]:
    """The threads of a request, and those about its case, that `user` may see (the staff
    request page's messages)."""
    about = Q(service_request=sr)
    if sr.case_id is not None:
        about |= Q(service_request__isnull=True, case_id=sr.case_id)
    return visible_threads(user).filter(about)


def unread_on_request(user: Actor, sr: ServiceRequest) -> int:
    """The request page's count of customer messages nobody answering has opened yet."""
    return unread_for(user, request_threads(user, sr)).count()
