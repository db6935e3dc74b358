"""The API tokens page: each user lists, creates and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from srmt.accounts import services as accounts
from srmt.accounts.models import ApiToken, User
from srmt.staff.submissions import one_time_submission
from srmt.staff.token_forms import ApiTokenForm, RevokeForm
from srmt.staff.views.common import call_service, staff_user


@login_required
@require_http_methods(["GET", "POST"])
@one_time_submission
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List my tokens; create one, whose secret the answer shows once (never stored)."""
    user = staff_user(request)
    form = ApiTokenForm(request.POST or None)
    if form.is_valid():
        issued = call_service(
            form,
            accounts.create_api_token,
            user,
            actor=user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        if issued is not None:
            context = {"token": issued.token, "secret": issued.secret}
            return render(request, "staff/api_token_created.html", context)
    return _list_page(request, user, form)


def _list_page(
    request: HttpRequest, user: User, form: ApiTokenForm, revoke_form: RevokeForm | None = None
) -> HttpResponse:
    now = timezone.now()
    tokens = list(ApiToken.objects.owned_by(user))
    rows = [(token, token.status(at=now)) for token in tokens]
    context = {
        "tokens": tokens,
        "rows": rows,
        "form": form,
        "revoke_form": revoke_form or RevokeForm(),
    }
    return render(request, "staff/api_tokens.html", context)


@login_required
@require_POST
@one_time_submission
def revoke_api_token(request: HttpRequest, prefix: str) -> HttpResponse:
    user = staff_user(request)
    token = get_object_or_404(ApiToken.objects.owned_by(user), prefix=prefix)
    form = RevokeForm(request.POST)
    if call_service(form, accounts.revoke_api_token, token, actor=user) is None:
        return _list_page(request, user, ApiTokenForm(), form)
    messages.success(
        request, _("Token %(name)s was revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("staff:api-tokens")
