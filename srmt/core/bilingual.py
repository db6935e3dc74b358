"""Text kept in English and Spanish (names of forms, request types, criteria, agencies and
topics; routing reasons): one rule picks the reader's.

A Spanish reader (es, es-mx, ...) gets the Spanish text when there is one; everybody else,
and a Spanish reader of a blank Spanish text, gets the English one. No active language
(translations deactivated) reads English.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import get_language


def is_spanish(language: str | None) -> bool:
    """Whether `language` (a language code or locale name, any case) is Spanish."""
    return (language or "").replace("_", "-").split("-")[0].lower() == "es"


def in_language(english: str, spanish: str, language: str | None) -> str:
    """`spanish` for a Spanish reader when there is one, else `english`."""
    return spanish if spanish and is_spanish(language) else english


class _HasBilingualName(Protocol):
    name_en: str
    name_es: str


class BilingualName:
    """Mixin of models with `name_en` and `name_es`: `name` is the one in the active
    language (in_language)."""

    @property
    def name(self: _HasBilingualName) -> str:
        return in_language(self.name_en, self.name_es, get_language())
