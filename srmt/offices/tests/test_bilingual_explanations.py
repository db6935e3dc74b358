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
splitting = importlib.import_module("srmt.offices.migrations.0007_split_military_mail_rule")
MILITARY_ZIP = {
    "zip_code": "09001",
    "zip_state": "AE",
    "zip_match": "military_mail",
    "zip_is_military_mail": True,
}
UNLOCATED_ZIP = {"zip_code": "96941", "zip_state": "FM", "zip_match": "unknown_position"}


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
            RoutingFacts(request_type="accommodation_request", **MILITARY_ZIP),
            "accommodation_military_mail",
            "Military mail ZIP (APO/FPO/DPO): no field office serves ZIP 09001 (AE) by address; "
            "the contact center's Tier 2 (CC-T2) serves the customer.",
            "Código postal de correo militar (APO/FPO/DPO): ninguna oficina local atiende el "
            "código postal 09001 (AE) por domicilio; lo atiende el Nivel 2 del centro de "
            "contacto (CC-T2).",
        ),
        (
            RoutingFacts(request_type="accommodation_request", **UNLOCATED_ZIP),
            "accommodation_no_field_office",
            "ZIP 96941 (FM) has no known location and its state no single field office: no "
            "field office can be chosen by address; the contact center's Tier 2 (CC-T2) serves "
            "the customer.",
            "El código postal 96941 (FM) no tiene ubicación conocida y su estado no tiene una "
            "única oficina local: no se puede elegir oficina por domicilio; lo atiende el Nivel "
            "2 del centro de contacto (CC-T2).",
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


def test_the_migrations_copy_the_seeded_texts() -> None:
    defaults = {spec.code: (spec.explanation, spec.explanation_es) for spec in DEFAULT_RULES}
    # 0004 as seeded then, less the rule 0007 rewrote from those very texts, which
    # 0007 writes as seeded now, with the rule it split off
    assert seeding.SEEDED[splitting.CODE] == (splitting.OLD_EN, splitting.OLD_ES)
    rewritten = {
        **seeding.SEEDED,
        splitting.CODE: (splitting.NEW_EN, splitting.NEW_ES),
        splitting.MILITARY_CODE: (
            splitting.MILITARY["explanation"],
            splitting.MILITARY["explanation_es"],
        ),
    }
    assert {code: defaults[code] for code in rewritten} == rewritten
    # Rules added to the defaults later are seeded with their Spanish text.
    assert [spec.code for spec in DEFAULT_RULES if not spec.explanation_es] == []


def test_the_split_rule_is_seeded_as_the_migration_writes_it(reference) -> None:
    fields = ["name", "position", "request_types", "has_zip_code", "zip_is_military_mail"]
    fields += ["action", "explanation", "explanation_es"]
    seeded = RoutingRule.objects.filter(code=splitting.MILITARY_CODE).values(*fields).get()
    assert seeded == {field: splitting.MILITARY[field] for field in fields}
    assert RoutingRule.objects.get(code=splitting.MILITARY_CODE).office.code == "CC-T2"
    assert RoutingRule.objects.filter(code=splitting.CODE).values(
        "name", "zip_is_military_mail"
    ).get() == {"name": splitting.NEW_NAME, "zip_is_military_mail": "no"}


def _as_seeded_before_the_split(spanish: str = splitting.OLD_ES) -> None:
    RoutingRule.objects.filter(code=splitting.MILITARY_CODE).delete()
    RoutingRule.objects.filter(code=splitting.CODE).update(
        name=splitting.OLD_NAME,
        explanation=splitting.OLD_EN,
        explanation_es=spanish,
        zip_is_military_mail="any",
    )


def _split_rules() -> dict[str, tuple[object, ...]]:
    rows = RoutingRule.objects.filter(code__in=[splitting.CODE, splitting.MILITARY_CODE])
    return {
        r.code: (r.name, r.position, r.zip_is_military_mail, r.explanation, r.explanation_es)
        for r in rows
    }


@pytest.mark.parametrize("spanish", [splitting.OLD_ES, ""])
def test_the_split_migration_rewrites_an_untouched_rule_and_adds_military_mail(
    reference, spanish
) -> None:
    # given an installation seeded before the split (0004 may have left the Spanish blank)
    _as_seeded_before_the_split(spanish)
    count = RoutingRule.objects.count()
    # when
    splitting.split(apps, None)
    # then the rules are those `srmt seed` writes now
    assert RoutingRule.objects.count() == count + 1
    assert _split_rules() == {
        splitting.CODE: (
            splitting.NEW_NAME,
            55,
            "no",
            splitting.NEW_EN,
            splitting.NEW_ES,
        ),
        splitting.MILITARY_CODE: (
            splitting.MILITARY["name"],
            52,
            "yes",
            splitting.MILITARY["explanation"],
            splitting.MILITARY["explanation_es"],
        ),
    }
    # and reversing it gives back the rule as seeded before (with the Spanish 0004 seeds)
    splitting.unsplit(apps, None)
    assert _split_rules() == {
        splitting.CODE: (splitting.OLD_NAME, 55, "any", splitting.OLD_EN, splitting.OLD_ES)
    }


def test_the_split_migration_keeps_an_administrators_edits(reference) -> None:
    # given the rule's English rewritten by an administrator
    _as_seeded_before_the_split()
    RoutingRule.objects.filter(code=splitting.CODE).update(explanation="Tier 2 ({office}).")
    # when
    splitting.split(apps, None)
    # then it is left as it was, and the military mail rule is added before it
    assert _split_rules() == {
        splitting.CODE: (splitting.OLD_NAME, 55, "any", "Tier 2 ({office}).", splitting.OLD_ES),
        splitting.MILITARY_CODE: (
            splitting.MILITARY["name"],
            52,
            "yes",
            splitting.MILITARY["explanation"],
            splitting.MILITARY["explanation_es"],
        ),
    }


def test_the_split_migration_keeps_an_administrators_translation(reference) -> None:
    _as_seeded_before_the_split("Nivel 2 ({office}), traducción propia.")
    splitting.split(apps, None)
    assert _split_rules()[splitting.CODE] == (
        splitting.NEW_NAME,
        55,
        "no",
        splitting.NEW_EN,
        "Nivel 2 ({office}), traducción propia.",
    )


@pytest.mark.parametrize("rules", ["none at all", "the split rule deleted"])
def test_the_split_migration_adds_no_rule_where_there_is_none_to_split(reference, rules) -> None:
    # given an installation routing on the defaults (no rule rows), or without the rule
    _as_seeded_before_the_split()
    kept = RoutingRule.objects.exclude(code=splitting.CODE) if rules != "none at all" else None
    RoutingRule.objects.exclude(pk__in=kept.values("pk") if kept is not None else []).delete()
    before = list(RoutingRule.objects.values_list("code", flat=True))
    # when
    splitting.split(apps, None)
    # then nothing is added
    assert list(RoutingRule.objects.values_list("code", flat=True)) == before


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
