"""API token secrets: how they are made and hashed (pure; see docs/adr/0019-api-tokens.md).

A token reads `srmt_<public id>_<secret>`. The public id (the token's `prefix`) is shown in
lists so people can tell their tokens apart; the secret is 32 random bytes. Only the
SHA-256 of the whole token is stored: the secret has 256 bits of entropy, so a fast hash
is safe (nothing to brute-force, unlike a password) and keeps every API call cheap.
"""

from __future__ import annotations

import hashlib
import secrets

KIND = "srmt"
# Lower-case base32: easy to read aloud, no look-alike characters, no "_" (the separator).
_PUBLIC_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_PUBLIC_LENGTH = 12  # 60 bits: a clash among a million tokens is about 1 in 2 million
_SECRET_BYTES = 32


def new_token() -> tuple[str, str]:
    """A fresh (prefix, token) pair; the token starts with the prefix."""
    prefix = f"{KIND}_" + "".join(secrets.choice(_PUBLIC_ALPHABET) for _ in range(_PUBLIC_LENGTH))
    return prefix, f"{prefix}_{secrets.token_urlsafe(_SECRET_BYTES)}"


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
