"""The QA scorecard versions, as data. Version 1 is loaded with the reference data
(`srmt seed`); a new version is added here with a new number, never by editing one in use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from srmt.qa.models import Criterion, Scorecard

MET = [
    {"value": 0, "en": "Not met", "es": "No cumplido"},
    {"value": 1, "en": "Partly met", "es": "Cumplido en parte"},
    {"value": 2, "en": "Met", "es": "Cumplido"},
]
FOUR = [
    {"value": 1, "en": "Poor", "es": "Deficiente"},
    {"value": 2, "en": "Fair", "es": "Regular"},
    {"value": 3, "en": "Good", "es": "Bueno"},
    {"value": 4, "en": "Excellent", "es": "Excelente"},
]

VERSIONS: dict[int, dict[str, Any]] = {
    1: {
        "effective_from": dt.date(2026, 1, 1),
        "pass_threshold": Decimal("0.80"),
        "improvement_threshold": Decimal("0.60"),
        "criteria": [
            (
                "accuracy",
                True,
                MET,
                "Accuracy",
                "Exactitud",
                "Every fact and instruction in the response is correct for this case and "
                "matches the case record and policy.",
                "Cada dato e instrucción de la respuesta es correcto para este caso y coincide "
                "con el expediente y la política.",
            ),
            (
                "completeness",
                False,
                MET,
                "Completeness",
                "Integridad",
                "The response answers every question the customer asked, or says why one "
                "cannot be answered yet.",
                "La respuesta contesta todas las preguntas del cliente, o explica por qué "
                "alguna no puede contestarse todavía.",
            ),
            (
                "new_information",
                False,
                MET,
                "New information",
                "Información nueva",
                "The response tells the customer at least one concrete, case-specific fact or "
                "action they did not already have; it is not a form letter.",
                "La respuesta le da al cliente al menos un dato o acción concreta de su caso "
                "que no tenía; no es una carta modelo.",
            ),
            (
                "plain_language",
                False,
                FOUR,
                "Plain language",
                "Lenguaje claro",
                "Short sentences, common words, no unexplained jargon or form numbers, in the "
                "customer's language.",
                "Oraciones cortas, palabras comunes, sin jerga ni números de formulario sin "
                "explicar, en el idioma del cliente.",
            ),
            (
                "courtesy",
                False,
                FOUR,
                "Courtesy",
                "Cortesía",
                "Respectful and professional; acknowledges the customer's situation.",
                "Respetuosa y profesional; reconoce la situación del cliente.",
            ),
            (
                "timeliness",
                False,
                MET,
                "Timeliness",
                "Puntualidad",
                "The final response was sent within the request's target time, or the delay "
                "was explained to the customer.",
                "La respuesta final se envió dentro del plazo de la solicitud, o se le explicó "
                "el retraso al cliente.",
            ),
            (
                "correct_routing",
                True,
                MET,
                "Correct routing",
                "Asignación correcta",
                "The request was handled by the office responsible for it, without needless "
                "transfers.",
                "La solicitud la atendió la oficina responsable, sin traslados innecesarios.",
            ),
        ],
    }
}


@transaction.atomic
def load_scorecards() -> int:
    """Create the scorecard versions not yet in the database; returns how many."""
    created = 0
    for version, spec in sorted(VERSIONS.items()):
        if Scorecard.objects.filter(version=version).exists():
            continue
        scorecard = Scorecard.objects.create(
            version=version,
            effective_from=spec["effective_from"],
            pass_threshold=spec["pass_threshold"],
            improvement_threshold=spec["improvement_threshold"],
        )
        Criterion.objects.bulk_create(
            Criterion(
                scorecard=scorecard,
                code=code,
                order=order,
                is_critical=critical,
                levels=levels,
                label_en=label_en,
                label_es=label_es,
                definition_en=definition_en,
                definition_es=definition_es,
            )
            for order, (
                code,
                critical,
                levels,
                label_en,
                label_es,
                definition_en,
                definition_es,
            ) in enumerate(spec["criteria"], start=1)
        )
        created += 1
    return created
