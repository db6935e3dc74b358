"""One-time submission tokens of the staff forms (ADR 18).

Every staff form that writes or sends carries a hidden token (`{% submission_token form %}`
from the `submissions` template library), minted when the page is rendered: a random part
and the user's id, signed, with the time of signing. Its POST view is decorated with
`@one_time_submission`, which claims the token (srmt.idempotency.services.claim_token) in
one transaction with everything the view does:

- a token claimed before (Back and submit again, a double click, a second tab) does
  nothing: the user lands where its first submission landed, told so;
- the service call (`views.common.call_service`, the one write of every staff POST) is
  refused as a form error when the token is missing, forged, of another user or older
  than the retention, and nothing is written;
- a submission that did not call its service successfully (the form had errors, the
  service refused) releases the token, so the form shown again keeps its token and the
  corrected submission goes through.

On PostgreSQL a second submission that arrives while the first is still running waits on
the token's unique index until the first commits, then lands where it did; SQLite runs one
writing transaction at a time.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.idempotency import services as idempotency

TOKEN_FIELD = "submission_token"  # noqa: S105 (a form field name, not a secret)
_SALT = "srmt.staff.submission-token"

View = Callable[..., HttpResponse]


class SubmissionRefused(DomainError):
    """The form came without a valid one-time token of its user: nothing was done."""

    code = "submission_refused"


@dataclass
class _Submission:
    user: User
    token: str  # the random part of a valid token; "" when refused
    refusal: str
    service_called: bool = False


_current: ContextVar[_Submission | None] = ContextVar("srmt_staff_submission", default=None)


def mint(user: User) -> str:
    """A new one-time token for a form `user` is shown."""
    return signing.dumps([user.pk, secrets.token_urlsafe(24)], salt=_SALT)


def _check(user: User, value: str) -> tuple[str, str]:
    """(the token's random part, "") for a valid token of `user`; ("", why) otherwise."""
    if not value:
        return "", _(
            "This form could not be checked, so nothing was saved. Please submit it again."
        )
    max_age = idempotency.retention()
    try:
        owner, token = signing.loads(value, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return "", _(
            "This form was opened too long ago, so nothing was saved. Check the request to "
            "see whether it was already done, then submit the form again."
        )
    except (signing.BadSignature, ValueError, TypeError):
        return "", _(
            "This form could not be checked, so nothing was saved. Please submit it again."
        )
    if owner != user.pk or not isinstance(token, str):
        return "", _(
            "This form was opened by another user, so nothing was saved. Please submit it again."
        )
    return token, ""


def token_for(request: HttpRequest, form: forms.BaseForm | None = None) -> str:
    """The token to render in a form: the one it was submitted with when it is shown again
    (nothing was claimed) and still valid, else a new one."""
    user = request.user
    assert isinstance(user, User)
    if form is not None and form.is_bound:
        submitted = str(form.data.get(TOKEN_FIELD, ""))
        if not _check(user, submitted)[1]:
            return submitted
    return mint(user)


def one_time_submission(view: View) -> View:
    """Decorate a staff view whose POST writes or sends: its form's token makes it happen
    at most once (see the module docstring)."""

    @functools.wraps(view)
    def once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        user = request.user
        assert isinstance(user, User)
        token, refusal = _check(user, str(request.POST.get(TOKEN_FIELD, "")))
        submission = _Submission(user=user, token=token, refusal=refusal)
        context = _current.set(submission)
        try:
            with transaction.atomic():
                earlier = idempotency.claim_token(user, token) if token else None
                if earlier is None:
                    return _run(view, submission, request, *args, **kwargs)
        finally:
            _current.reset(context)
        messages.info(request, _("This was already submitted, so nothing was done twice."))
        return redirect(earlier or request.get_full_path())

    once.one_time_submission = True  # type: ignore[attr-defined]
    return once


def _run(
    view: View, submission: _Submission, request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The view, in the transaction that claimed the token; keep the claim only if the
    view's service call went through."""
    response = view(request, *args, **kwargs)
    if not submission.token:
        return response
    if submission.service_called:
        idempotency.record_result(submission.user, submission.token, _landing(request, response))
    else:
        idempotency.release_token(submission.user, submission.token)
    return response


def _landing(request: HttpRequest, response: HttpResponse) -> str:
    if isinstance(response, HttpResponseRedirectBase):
        return response.url
    return request.get_full_path()


@contextmanager
def service_call() -> Iterator[None]:
    """Around the one service call of a staff POST (views.common.call_service): refused
    when the submission has no valid token; marks the submission done when the service
    returns. Outside a one-time submission it does nothing."""
    submission = _current.get()
    if submission is None:
        yield
        return
    if submission.refusal:
        raise SubmissionRefused(submission.refusal)
    yield
    submission.service_called = True
