"""The code itself (pure): made, written, read back and hashed (ADR 43).

12 characters from Crockford's base 32 without I, L, O, U (60 random bits), written in
three groups of four (`7KQ2-M9XD-4RTB`). What a person types is normalised: case and
separators do not matter, and the letters people confuse with digits read as those digits.
Only a keyed hash is kept: HMAC-SHA256 under the site's secret key of a per-code random
salt and the normalised code.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

from srmt.core.references import ALPHABET

LENGTH = 12
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-_.]+")
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(chars[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(raw: str) -> str:
    """The code's canonical form (no separators, upper case), or "" when it cannot be one."""
    candidate = _SEPARATORS.sub("", raw or "").upper().translate(_CONFUSED)
    if len(candidate) != LENGTH or any(ch not in ALPHABET for ch in candidate):
        return ""
    return candidate


def new_salt() -> str:
    return secrets.token_hex(16)


def digest(code: str, salt: str) -> str:
    """The keyed hash stored for `code` (any written form of it)."""
    message = f"{salt}:{normalize(code)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def matches(code: str, salt: str, stored: str) -> bool:
    return bool(normalize(code)) and hmac.compare_digest(digest(code, salt), stored)
