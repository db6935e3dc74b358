"""The Case Status API's endpoints and the public developer page (ADR 0041).

POST /oauth/accesstoken: authlib's client credentials grant (errors: authlib's standard
OAuth JSON). GET /case-status/<receiptNumber>: a bearer token, then the per-client limits,
then the case; a 1367-protected case answers byte for byte as an unknown receipt number.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InsecureTransportError
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from srmt.cases.models import Case
from srmt.cases.public_status import public_status
from srmt.core.errors import InvalidReceiptNumber
from srmt.developer import answers, quotas
from srmt.developer.models import ApiAccessToken
from srmt.developer.oauth import require_token, server
from srmt.developer.services import record_answer

MAX_RECEIPT_INPUT = 40


def _json(body: dict[str, Any], status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # a machine endpoint authenticated by the client's credentials, not a cookie
@require_POST
def access_token(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = server.create_token_response(request)
    except InsecureTransportError as error:  # plain HTTP from anywhere but loopback
        response = _json(dict(error.get_body()), error.status_code)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@require_safe
def case_status(request: HttpRequest, receipt_number: str) -> HttpResponse:
    try:
        token: ApiAccessToken = require_token.acquire_token(request)
    except OAuth2Error:
        response = _json(answers.INVALID_TOKEN, 401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    client = token.client
    refusal = quotas.take(client.client_id)
    if refusal is not None:
        body = answers.SPIKE_ARREST if refusal.limit == "rate" else answers.QUOTA
        response = _json(body, 429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    try:
        if len(receipt_number) > MAX_RECEIPT_INPUT:
            raise InvalidReceiptNumber(answers.MALFORMED_MESSAGE)
        answer = public_status(receipt_number, actor=None)
    except InvalidReceiptNumber:
        return _json(answers.error_body(answers.MALFORMED_MESSAGE), 422)
    if answer is None:
        return _json(answers.error_body(answers.NOT_FOUND_MESSAGE), 404)
    case = Case.objects.get(receipt_number=answer.receipt_number)
    record_answer(client=client, receipt_number=answer.receipt_number)
    return _json(answers.case_status_body(answer, case), 200)


@require_safe
def developer_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "developer/home.html",
        {
            "per_second": settings.SRMT_CASE_STATUS_API_PER_SECOND,
            "per_day": settings.SRMT_CASE_STATUS_API_PER_DAY,
            "token_seconds": settings.SRMT_CASE_STATUS_API_TOKEN_SECONDS,
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )
