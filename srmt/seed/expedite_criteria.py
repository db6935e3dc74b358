"""The versions of the expedite criteria (USCIS Policy Manual vol. 1 part A ch. 5).

Sources: the criteria listed on the agency's "How to Make an Expedite Request" page before
10 May 2019 (7 criteria); the narrowed list of 10 May 2019 (4 criteria); Policy Alert of
9 June 2021 (5 criteria, the nonprofit one also for forms eligible for premium processing),
clarified on 25 January 2022 and later without changing the list. The pre-2019 list's
start is not modelled: 2000-01-01 stands for "before". Loading is idempotent on
(code, version) and never overwrites an administrator's edits.
"""

from __future__ import annotations

import datetime as dt

from srmt.cases.models import Case
from srmt.service_requests.expedite_models import ExpediteCriterion
from srmt.service_requests.expedites import ExpediteData

PRE_2019 = ("pre-2019", dt.date(2000, 1, 1), dt.date(2019, 5, 10))
V2019 = ("2019-05", dt.date(2019, 5, 10), dt.date(2021, 6, 9))
V2021 = ("2021-06", dt.date(2021, 6, 9), None)

# version, code, English, Spanish, allowed for premium-processing-eligible forms
CRITERIA: list[tuple[tuple[str, dt.date, dt.date | None], str, str, str, bool]] = [
    (
        PRE_2019,
        "severe_financial_loss",
        "Severe financial loss to a company or person",
        "Pérdida económica grave para una empresa o una persona",
        False,
    ),
    (PRE_2019, "emergency", "Emergency situation", "Situación de emergencia", False),
    (PRE_2019, "humanitarian", "Humanitarian reasons", "Razones humanitarias", False),
    (
        PRE_2019,
        "nonprofit",
        "Nonprofit organization whose request furthers the cultural and social interests "
        "of the United States",
        "Organización sin fines de lucro cuya solicitud promueve los intereses culturales y "
        "sociales de los Estados Unidos",
        False,
    ),
    (
        PRE_2019,
        "dod_national_interest",
        "Department of Defense or national interest situation",
        "Situación de interés del Departamento de Defensa o de interés nacional",
        False,
    ),
    (PRE_2019, "uscis_error", "USCIS error", "Error de USCIS", False),
    (
        PRE_2019,
        "uscis_compelling_interest",
        "Compelling interest of USCIS",
        "Interés apremiante de USCIS",
        False,
    ),
    (
        V2019,
        "severe_financial_loss",
        "Severe financial loss to a company or person",
        "Pérdida económica grave para una empresa o una persona",
        False,
    ),
    (V2019, "humanitarian", "Urgent humanitarian reasons", "Razones humanitarias urgentes", False),
    (V2019, "uscis_error", "Clear USCIS error", "Error evidente de USCIS", False),
    (
        V2019,
        "us_government_interests",
        "Compelling interest of the U.S. government",
        "Interés apremiante del gobierno de los Estados Unidos",
        False,
    ),
    (
        V2021,
        "severe_financial_loss",
        "Severe financial loss to a company or person",
        "Pérdida económica grave para una empresa o una persona",
        False,
    ),
    (
        V2021,
        "emergency_humanitarian",
        "Emergencies and urgent humanitarian reasons",
        "Emergencias y razones humanitarias urgentes",
        False,
    ),
    (
        V2021,
        "nonprofit",
        "Nonprofit organization (IRS-designated) furthering the cultural or social interests "
        "of the United States",
        "Organización sin fines de lucro (designada por el IRS) que promueve los intereses "
        "culturales o sociales de los Estados Unidos",
        True,
    ),
    (
        V2021,
        "us_government_interests",
        "U.S. government interests",
        "Intereses del gobierno de los Estados Unidos",
        False,
    ),
    (V2021, "uscis_error", "Clear USCIS error", "Error evidente de USCIS", False),
]


def load_expedite_criteria() -> int:
    """Create the missing criteria rows; returns how many were created."""
    created = 0
    for order, ((version, start, until), code, en, es, premium) in enumerate(CRITERIA):
        _row, was_created = ExpediteCriterion.objects.get_or_create(
            code=code,
            version=version,
            defaults={
                "name_en": en,
                "name_es": es,
                "effective_from": start,
                "effective_until": until,
                "allowed_for_premium_processing": premium,
                "sort_order": (order + 1) * 10,
            },
        )
        created += was_created
    return created


def demo_expedite(case: Case | None) -> ExpediteData:
    """Plausible expedite details for demo data: a criterion the case's form allows."""
    premium = case is not None and case.form_type.is_premium_processing_eligible
    return ExpediteData(
        criterion="nonprofit" if premium else "severe_financial_loss",
        justification="A job offer depends on a decision before the start date.",
    )
