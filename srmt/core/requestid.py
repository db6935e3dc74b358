"""The current request's correlation id and acting API token, available to the audit log
without passing them down."""

from __future__ import annotations

import contextvars

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)
# The id of the API token that authenticated the current request (set by the API's
# authentication class); None for sessions, commands and tasks.
current_api_token_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_api_token_id", default=None
)
