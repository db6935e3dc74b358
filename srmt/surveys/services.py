"""Send and answer satisfaction surveys: the one write path of srmt.surveys (ADR 0038).

`send(sr, actor=...)` makes the survey of a final response and returns the address of its
page, which the response's message carries (service_requests.messages). `open_survey(token)`
reads a link and `answer(token, ...)` records the customer's answer, once. A link is refused,
with nothing written, when its signature is wrong (forged or altered), when it is older
than SRMT_SURVEY_DAYS, or when its survey was already answered.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.core.errors import DomainError
from srmt.surveys.models import Survey

if TYPE_CHECKING:
    from srmt.accounts.models import User
    from srmt.service_requests.models import ServiceRequest

# The signature of a survey link is good for survey links only.
SALT = "srmt.surveys.link"
RATINGS = (1, 2, 3, 4, 5)
MAX_COMMENT = 2_000


class SurveyRefused(DomainError):
    """A link that cannot be answered. `code` says why: forged, expired or used."""

    code = "survey_refused"
    http_status = 404


class SurveyForged(SurveyRefused):
    code = "survey_forged"


class SurveyExpired(SurveyRefused):
    code = "survey_expired"
    http_status = 410


class SurveyUsed(SurveyRefused):
    code = "survey_used"
    http_status = 409


class InvalidAnswer(DomainError):
    code = "invalid_answer"


class _Signer(signing.TimestampSigner):
    """Django's timestamp signer, salted for survey links, dated when the survey was sent
    (so a survey's link is always the same string) or now."""

    def __init__(self, at: dt.datetime | None = None) -> None:
        super().__init__(salt=SALT)
        self.at = at

    def timestamp(self) -> str:
        if self.at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.at.timestamp()))


def _signer() -> _Signer:
    return _Signer()


def token_for(survey: Survey) -> str:
    """The signed part of the survey's link: its nonce, when it was sent, a signature."""
    return _Signer(survey.sent_at).sign(survey.nonce)


def link_for(survey: Survey) -> str:
    """The absolute address of the survey's page (SRMT_SURVEY_BASE_URL)."""
    path = reverse("survey", args=[token_for(survey)])
    return f"{settings.SRMT_SURVEY_BASE_URL}{path}"


def current_link(sr: ServiceRequest) -> str:
    """The link of the newest survey of `sr` ("" if none): a held final response whose text a
    reviewer edits keeps the link it was written with (ADR 0035, 0038)."""
    survey = Survey.objects.filter(service_request=sr).order_by("-sent_at", "-id").first()
    return link_for(survey) if survey is not None else ""


def send(sr: ServiceRequest, *, actor: User, at: dt.datetime | None = None) -> str:
    """Make the survey of the final response being sent on `sr`, in the caller's transaction,
    and return its link for the message. The survey asks in the requester's language."""
    at = at or timezone.now()
    survey = Survey.objects.create(
        service_request=sr,
        language="es" if sr.requester.language == "es" else "en",
        sent_at=at,
        expires_at=at + dt.timedelta(days=settings.SRMT_SURVEY_DAYS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.SURVEY_SENT,
        object_type="survey",
        object_id=str(survey.pk),
        changes={"service_request": sr.reference, "language": survey.language},
    )
    return link_for(survey)


def open_survey(token: str, *, at: dt.datetime | None = None) -> Survey:
    """The survey a link opens, if it may still be answered; refuses otherwise."""
    at = at or timezone.now()
    max_age = dt.timedelta(days=settings.SRMT_SURVEY_DAYS)
    try:
        nonce = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise SurveyExpired(_("This survey link has expired.")) from None
    except signing.BadSignature:
        raise SurveyForged(_("This survey link is not valid.")) from None
    survey = Survey.objects.filter(nonce=nonce).first()
    if survey is None:
        raise SurveyForged(_("This survey link is not valid."))
    if survey.expires_at <= at:
        raise SurveyExpired(_("This survey link has expired."))
    if survey.answered_at is not None:
        raise SurveyUsed(_("This survey was already answered."))
    return survey


@transaction.atomic
def answer(token: str, *, rating: int, comment: str = "", at: dt.datetime | None = None) -> Survey:
    """Record the customer's answer to the survey a link opens. Once only: a second answer,
    even at the same moment from another window, is refused."""
    at = at or timezone.now()
    if rating not in RATINGS:
        raise InvalidAnswer(_("Choose a rating from 1 to 5."), field="rating")
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidAnswer(
            _("Keep your comment under %(n)s characters.") % {"n": MAX_COMMENT}, field="comment"
        )
    survey = open_survey(token, at=at)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.answered_at is not None:
        raise SurveyUsed(_("This survey was already answered."))
    survey.rating = rating
    survey.comment = comment
    survey.answered_at = at
    survey.save(update_fields=["rating", "comment", "answered_at"])
    audit.record(
        actor=None,
        action=AuditAction.SURVEY_ANSWERED,
        object_type="survey",
        object_id=str(survey.pk),
        changes={"rating": rating, "comment_given": bool(comment)},
    )
    return survey
