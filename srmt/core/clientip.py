"""The client's network address, the same way everywhere (sign-in lockout, API throttles,
the audit log).

Behind reverse proxies REMOTE_ADDR is the nearest proxy. With SRMT_TRUSTED_PROXY_COUNT = n
(> 0), the address is the one the n-th proxy from us saw, read from X-Forwarded-For as
DRF's NUM_PROXIES does; anything a client adds further left is ignored. With 0 (the
default), X-Forwarded-For is not trusted at all.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = settings.SRMT_TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if count <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(count, len(addresses))]
