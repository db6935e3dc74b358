"""Text kept in English and Spanish: one rule picks the reader's, for every model that has
names in both languages and for the stored routing reasons."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from srmt.core.bilingual import in_language
from srmt.offices.models import FormType, OtherAgency, RedirectTopic
from srmt.service_requests.models import ExpediteCriterion, ServiceRequestType

# (language, Spanish text, expected): a Spanish reader gets the Spanish text when there is
# one; everybody else, and a Spanish reader of a blank Spanish text, the English one.
CASES = [
    ("en", "Hola", "Hello"),
    ("es", "Hola", "Hola"),
    ("es-mx", "Hola", "Hola"),
    ("ES", "Hola", "Hola"),
    ("es_MX", "Hola", "Hola"),
    ("es", "", "Hello"),
    ("fr", "Hola", "Hello"),
    ("", "Hola", "Hello"),
    (None, "Hola", "Hello"),
]


@pytest.mark.parametrize(("language", "spanish", "expected"), CASES)
def test_the_reader_gets_spanish_only_when_there_is_some(
    language: str | None, spanish: str, expected: str
) -> None:
    assert in_language("Hello", spanish, language) == expected


@pytest.mark.parametrize(
    "model", [FormType, OtherAgency, RedirectTopic, ServiceRequestType, ExpediteCriterion]
)
@pytest.mark.parametrize(("language", "spanish", "expected"), CASES)
def test_every_bilingual_name_follows_the_rule(
    model: Any, language: str | None, spanish: str, expected: str
) -> None:
    row = model(name_en="Hello", name_es=spanish)
    if language is None:
        with translation.override(None):
            assert row.name == expected
        return
    with translation.override(language):
        assert row.name == expected
