"""Fixtures for delivery tests: Django's SMTP backend pointed at a local aiosmtpd server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from srmt.notifications.tests.smtp import Inbox, free_port, start_smtp_server


@pytest.fixture
def smtp_port(settings: Any) -> int:
    """Email goes out over SMTP to this port; nothing listens on it unless a test starts it."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "SRMT <no-reply@srmt.example>"
    return port


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    controller, handler = start_smtp_server(smtp_port)
    yield handler
    controller.stop()
