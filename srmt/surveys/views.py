"""The public survey page, `/survey/<token>/` (docs/adr/0038).

No sign-in: the signed link is the permission, and it opens one survey, once. The page asks
in the customer's language (the survey's), shows nothing about the request or the case, and
refuses a forged, expired or used link with a plain page in English and Spanish, never an
error page. Answers are limited per client address and hour (SRMT_SURVEY_POSTS_PER_HOUR).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from srmt.core.clientip import client_ip
from srmt.surveys import services
from srmt.surveys.services import MAX_COMMENT, RATINGS, SurveyRefused

RATING_LABELS = {
    1: _("1 – Very dissatisfied"),
    2: _("2 – Dissatisfied"),
    3: _("3 – Neither satisfied nor dissatisfied"),
    4: _("4 – Satisfied"),
    5: _("5 – Very satisfied"),
}


class AnswerForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, RATING_LABELS[n]) for n in RATINGS],
        coerce=int,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(required=False, max_length=MAX_COMMENT)


def _over_limit(request: HttpRequest) -> bool:
    """Count this answer against the client's hourly allowance; True once it is spent."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"srmt:survey-posts:{client_ip(request)}:{hour}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.SRMT_SURVEY_POSTS_PER_HOUR


def _page(request: HttpRequest) -> dict[str, object]:
    return {"agency_name": settings.SRMT_AGENCY_NAME, "days": settings.SRMT_SURVEY_DAYS}


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    """A plain page in English and Spanish (the reader's language first), never an error
    page: the link is forged or altered, expired, already used, or posted too often."""
    first = "es" if translation.get_language() == "es" else "en"
    context = {**_page(request), "reason": reason, "languages": [first, *{"en", "es"} - {first}]}
    return render(request, "surveys/refused.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and _over_limit(request):
        return _refused(request, "too_many", 429)
    try:
        survey = services.open_survey(token)
    except SurveyRefused as refused:
        return _refused(request, refused.code, refused.http_status)
    with translation.override(survey.language):
        form = AnswerForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                services.answer(
                    token,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            except SurveyRefused as refused:
                return _refused(request, refused.code, refused.http_status)
            return render(request, "surveys/thanks.html", _page(request))
        status = 400 if form.is_bound else 200
        context = {
            **_page(request),
            "form": form,
            "ratings": list(RATING_LABELS.items()),
            "max": MAX_COMMENT,
        }
        return render(request, "surveys/survey.html", context, status=status)
