"""Public references: short, human-friendly and not guessable (e.g. SR-7KQ2-M9XD)."""

from __future__ import annotations

import secrets

# Crockford's base 32 without I, L, O, U: nothing that reads as another character.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "SR") -> str:
    """40 random bits in two groups of four; collisions are retried by the caller."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def normalize_reference(raw: str) -> str:
    return (raw or "").strip().upper()
