"""client_ip: REMOTE_ADDR unless a number of trusted proxies is configured."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from srmt.core.clientip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.7", "10.0.0.1"),  # not trusted: a client can send anything
        (1, "", "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # the left one was the client's
        (2, "198.51.100.9, 203.0.113.7", "198.51.100.9"),
        (3, "198.51.100.9, 203.0.113.7", "198.51.100.9"),
        (1, "198.51.100.9,203.0.113.7 ", "203.0.113.7"),
    ],
)
def test_the_address_the_trusted_proxies_saw(settings, proxies, forwarded, expected):
    settings.SRMT_TRUSTED_PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = RequestFactory().get("/", headers=headers, REMOTE_ADDR="10.0.0.1")

    assert client_ip(request) == expected
