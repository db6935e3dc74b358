"""RequestIdMiddleware: echo a safe X-Request-ID, mint a fresh one otherwise."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from srmt.core.middleware import RequestIdMiddleware
from srmt.core.requestid import current_request_id

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _run(header: str | None) -> tuple[HttpResponse, list[str]]:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_request_id.get())
        seen.append(request.request_id)  # type: ignore[attr-defined]
        return HttpResponse("ok")

    headers = {} if header is None else {"X-Request-ID": header}
    request = RequestFactory().get("/", headers=headers)
    return RequestIdMiddleware(view)(request), seen


@pytest.mark.parametrize(
    "safe_id",
    ["abc123", "req-2026.11.22_0001", "A" * 64, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"],
)
def test_safe_request_ids_are_echoed(safe_id: str) -> None:
    # when
    response, seen = _run(safe_id)
    # then
    assert response["X-Request-ID"] == safe_id
    assert seen == [safe_id, safe_id]
    assert current_request_id.get() == ""


@pytest.mark.parametrize(
    "unsafe_id",
    [None, "", "A" * 65, "has space", "semi;colon", "new\\nline", "<script>", "ümlaut"],
)
def test_unsafe_or_missing_request_ids_are_replaced(unsafe_id: str | None) -> None:
    # when
    response, seen = _run(unsafe_id)
    # then
    minted = response["X-Request-ID"]
    assert HEX32.match(minted)
    assert minted != unsafe_id
    assert seen == [minted, minted]
    assert current_request_id.get() == ""


def test_the_context_is_reset_even_when_the_view_raises() -> None:
    def broken(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    request = RequestFactory().get("/", headers={"X-Request-ID": "abc"})
    with pytest.raises(RuntimeError):
        RequestIdMiddleware(broken)(request)
    assert current_request_id.get() == ""
