"""Routing reasons in English and Spanish: one template mechanism for both (ADR 0015)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from srmt.offices.defaults import DEFAULT_RULES
from srmt.offices.models import RoutingRule, validate_explanation
from srmt.offices.routing import RoutingFacts, RuleSpec, route

ABROAD = {"country": "IN", "is_in_us": False, "international_office_code": "NDE"}
ZIP_VT = {"zip_code": "05478", "zip_state": "VT", "zip_office_code": "STA", "zip_match": "x"}
seeding = importlib.import_module("srmt.offices.migrations.0004_seeded_rules_spanish_explanations")


@pytest.mark.parametrize(
    ("facts", "rule", "english", "spanish"),
    [
        (
            RoutingFacts(receipt_number="WAC2190012345", case_office_code="CSC", is_protected=True),
            "protected_1367",
            "The case is protected by 8 U.S.C. 1367; the VAWA/T/U unit (ESC-VAWA) handles it "
            "whatever else applies.",
            "El caso está protegido por 8 U.S.C. 1367; la unidad VAWA/T/U (ESC-VAWA) lo atiende, "
            "sean cuales sean los demás datos.",
        ),
        (
            RoutingFacts(receipt_number="EAC2190012345", case_office_code="ESC", **ABROAD),
            "overseas_referral",
            "The customer lives outside the U.S. (IN); the international office NDE serves "
            "them. No service request is opened.",
            "El cliente vive fuera de EE. UU. (IN); lo atiende la oficina internacional NDE. "
            "No se abre ninguna solicitud de servicio.",
        ),
        (
            RoutingFacts(request_type="appointment_request"),
            "appointment_tier2",
            "Appointment requests are reviewed by the contact center's Tier 2 (CC-T2).",
            "Las solicitudes de cita las revisa el Nivel 2 del centro de contacto (CC-T2).",
        ),
        (
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="NSC",
                request_type="expedite_request",
            ),
            "expedite_case_office",
            "Expedite requests are decided by the office holding the case (NSC).",
            "Las solicitudes de trámite acelerado las decide la oficina que tiene el caso (NSC).",
        ),
        (
            RoutingFacts(request_type="accommodation_request", **ZIP_VT),
            "accommodation_field_office",
            "Accommodation requests go to the field office for the customer's address: ZIP "
            "05478 (VT) is served by STA.",
            "Las solicitudes de acomodo van a la oficina local del domicilio del cliente: el "
            "código postal 05478 (VT) lo atiende STA.",
        ),
        (
            RoutingFacts(receipt_number="EAC2190012345", case_office_code="CSC"),
            "case_office",
            "The case record places the file at CSC.",
            "Según el registro del caso, el expediente está en CSC.",
        ),
        (
            RoutingFacts(receipt_number="IOE0912345678"),
            "prefix_ioe_no_case",
            "IOE receipts are held by the office processing the case and no case record names "
            "it; Tier 2 (CC-T2) triages it.",
            "Los recibos IOE los tiene la oficina que tramita el caso y ningún registro del caso "
            "la indica; el Nivel 2 (CC-T2) lo clasifica.",
        ),
        (
            RoutingFacts(receipt_number="LIN2190012345"),
            "prefix_lin",
            "Receipt prefix LIN belongs to NSC; no case record.",
            "El prefijo de recibo LIN corresponde a NSC; no hay registro del caso.",
        ),
        (
            RoutingFacts(receipt_number="ABC2190012345"),
            "unknown_prefix",
            "Receipt prefix ABC names no service center; Tier 2 triages it.",
            "El prefijo de recibo ABC no corresponde a ningún centro de servicio; el Nivel 2 lo "
            "clasifica.",
        ),
        (
            RoutingFacts(),
            "no_receipt_number",
            "No receipt number; Tier 2 triages it.",
            "Sin número de recibo; el Nivel 2 lo clasifica.",
        ),
    ],
)
def test_default_rules_explain_in_both_languages(
    facts: RoutingFacts, rule: str, english: str, spanish: str
) -> None:
    decision = route(facts)
    assert (decision.rule, decision.reason, decision.reason_es) == (rule, english, spanish)
    assert (decision.reason_in("en"), decision.reason_in("es"), decision.reason_in("es-mx")) == (
        english,
        spanish,
        spanish,
    )


def test_no_matching_rule_explains_in_both_languages() -> None:
    only_1367 = [r for r in DEFAULT_RULES if r.code == "protected_1367"]
    decision = route(RoutingFacts(receipt_number="EAC2190012345"), only_1367)
    assert (decision.rule, decision.reason, decision.reason_es) == (
        "no_rule_matched",
        "No routing rule matched; Tier 2 triages it.",
        "Ninguna regla de asignación coincide; el Nivel 2 lo clasifica.",
    )


@pytest.mark.parametrize(
    ("explanation_es", "reason_es", "shown_in_spanish"),
    [
        ("", "", "File at CSC."),  # not translated: Spanish readers see the English
        ("Expediente en {office}.", "Expediente en CSC.", "Expediente en CSC."),
        ("Expediente en {oficina}.", "Expediente en {oficina}.", "Expediente en {oficina}."),
        ("Llave {sin cerrar", "Llave {sin cerrar", "Llave {sin cerrar"),
    ],
)
def test_a_spanish_explanation_uses_the_same_placeholders(
    explanation_es: str, reason_es: str, shown_in_spanish: str
) -> None:
    rule = RuleSpec(
        code="r",
        action="fixed_office",
        office_code="CSC",
        explanation="File at {office}.",
        explanation_es=explanation_es,
    )
    decision = route(RoutingFacts(), [rule])
    assert (decision.reason, decision.reason_es) == ("File at CSC.", reason_es)
    assert decision.reason_in("es") == shown_in_spanish


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("Receipt prefix {prefix} belongs to {office}.", None),
        ("Código postal {zip_code} ({zip_state}), país {country}, tipo {request_type}.", None),
        ("Braces {{as such}}.", None),
        ("{oficina} and {office}", "{oficina}: not a routing fact. Use {prefix}, {office}, "),
        ("{office", "Write a placeholder as {office}; write a brace itself as {{ or }}."),
    ],
)
def test_explanations_name_only_routing_facts(value: str, error: str | None) -> None:
    if error is None:
        validate_explanation(value)
        return
    with pytest.raises(ValidationError) as caught:
        validate_explanation(value)
    assert caught.value.messages[0].startswith(error)


def test_the_seeded_rules_have_spanish_explanations(reference) -> None:
    rows = dict(RoutingRule.objects.values_list("code", "explanation_es"))
    assert rows == {spec.code: spec.explanation_es for spec in DEFAULT_RULES}
    assert all(rows.values())


def test_the_migration_copies_the_seeded_texts() -> None:
    defaults = {spec.code: (spec.explanation, spec.explanation_es) for spec in DEFAULT_RULES}
    # Rules added to the defaults later are seeded with their Spanish text.
    assert {code: defaults[code] for code in seeding.SEEDED} == seeding.SEEDED
    assert [spec.code for spec in DEFAULT_RULES if not spec.explanation_es] == []


def test_the_migration_fills_only_untouched_seeded_rules(reference) -> None:
    RoutingRule.objects.update(explanation_es="")
    RoutingRule.objects.filter(code="case_office").update(explanation="Edited by an admin.")
    RoutingRule.objects.filter(code="prefix_eac").update(explanation_es="Traducción propia.")
    RoutingRule.objects.create(
        code="local_rule", name="Local", position=5, action="case_office", explanation="Local."
    )

    seeding.fill(apps, None)

    rows = dict(RoutingRule.objects.values_list("code", "explanation_es"))
    assert rows["protected_1367"] == seeding.SEEDED["protected_1367"][1]
    assert rows["prefix_wac"] == seeding.PREFIX_ES
    assert (rows["case_office"], rows["prefix_eac"], rows["local_rule"]) == (
        "",
        "Traducción propia.",
        "",
    )
    seeding.blank(apps, None)
    rows = dict(RoutingRule.objects.values_list("code", "explanation_es"))
    assert (rows["protected_1367"], rows["prefix_eac"]) == ("", "Traducción propia.")


def test_administrators_edit_the_spanish_explanation(reference) -> None:
    from django.test import Client

    from srmt.accounts.choices import Role
    from srmt.testing.factories import make_user

    client = Client()
    client.force_login(
        make_user("rule.admin", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    )
    rule = RoutingRule.objects.get(code="case_office")
    page = client.get(f"/admin/offices/routingrule/{rule.pk}/change/").content.decode()
    assert 'name="explanation_es"' in page
    assert "Según el registro del caso, el expediente está en {case_office}." in page
    rule.explanation_es = "Expediente en {oficina}."
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert list(caught.value.message_dict) == ["explanation_es"]
