"""The review rules SRMT starts with (docs/adr/0035), written as rows by
`load_default_rules` (`srmt seed`, `srmt demo`). Administrators change them in the admin
afterwards: end a rule (`effective_until`) and add its successor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from srmt.reviews.choices import RuleKind
from srmt.reviews.models import ReviewRule

EFFECTIVE_FROM = dt.date(2026, 1, 1)
RANDOM_SEED = "srmt-review-2026"


@dataclass(frozen=True)
class RuleSpec:
    code: str
    kind: RuleKind
    name_en: str
    name_es: str
    priority: int
    share: Decimal = Decimal(0)
    seed: str = ""


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "protected_case",
        RuleKind.PROTECTED_CASE,
        "Response on a 1367 case",
        "Respuesta en un caso 1367",
        10,
    ),
    RuleSpec(
        "complaint", RuleKind.COMPLAINT, "Response on a complaint", "Respuesta a una queja", 20
    ),
    RuleSpec(
        "expedite_denial",
        RuleKind.EXPEDITE_DENIAL,
        "Expedite denial",
        "Denegación de una solicitud de trámite acelerado",
        30,
    ),
    RuleSpec(
        "repeat",
        RuleKind.REPEAT,
        "Second or later repeat request on the case",
        "Segunda solicitud repetida o posterior sobre el caso",
        40,
    ),
    RuleSpec(
        "form_letter",
        RuleKind.FORM_LETTER,
        "Sent despite a form-letter warning",
        "Enviada pese a la advertencia de carta modelo",
        50,
    ),
    RuleSpec(
        "probation",
        RuleKind.PROBATION,
        "Author in a probation period",
        "Autor en período de prueba",
        60,
    ),
    RuleSpec(
        "random",
        RuleKind.RANDOM,
        "Random sample (5%)",
        "Muestra aleatoria (5%)",
        1000,
        share=Decimal("0.05"),
        seed=RANDOM_SEED,
    ),
)


@transaction.atomic
def load_default_rules() -> int:
    """Create the default rules that are missing (by code and start date); returns how many.
    Rules already there, edited or ended by an administrator, are left as they are."""
    created = 0
    for spec in DEFAULT_RULES:
        _rule, made = ReviewRule.objects.get_or_create(
            code=spec.code,
            effective_from=EFFECTIVE_FROM,
            defaults={
                "kind": spec.kind,
                "name_en": spec.name_en,
                "name_es": spec.name_es,
                "priority": spec.priority,
                "share": spec.share,
                "seed": spec.seed,
            },
        )
        created += int(made)
    return created
