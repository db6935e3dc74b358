"""The case status vocabulary (cases.statuses): official titles in both languages, the
descriptions filled with the case's facts, unknown and blank titles, and the table itself."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmt.cases import statuses
from srmt.cases.models import CaseStatusChange
from srmt.cases.statuses import CaseStatusText, describe_case, status_titles
from srmt.testing.factories import make_case

# The 30 most frequent official titles in ../shared/data/uscis-case-status-counts (FY2022
# lockbox receipts, counts on the last day collected; "CASE STATUS", a placeholder of the
# agency's tool, left out), most frequent first. Kept here so the test runs from a clone.
MOST_FREQUENT_TITLES = [
    "Case Was Received",
    "Case Was Updated To Show Fingerprints Were Taken",
    "Fingerprint Fee Was Received",
    "Card Was Delivered To Me By The Post Office",
    "Case Was Rejected Because It Was Improperly Filed",
    "Case Rejected Because I Sent An Incorrect Fee",
    "Case Was Approved",
    "Fees Were Waived",
    "Case Was Transferred And A New Office Has Jurisdiction",
    "Notice Was Returned To USCIS Because The Post Office Could Not Deliver It",
    "Response To USCIS' Request For Evidence Was Received",
    "Request for Initial Evidence Was Sent",
    "Form G-28 Was Rejected Because It Was Improperly Filed",
    "Case Closed Benefit Received By Other Means",
    "Case Was Rejected Because I Did Not Sign My Form",
    "Name Was Updated",
    "Case Was Denied",
    "Document Was Mailed To Me",
    "Expedite Request Denied",
    "Card Was Picked Up By The United States Postal Service",
    "Document Was Mailed",
    "Request for Additional Evidence Was Sent",
    "Card Was Mailed To Me",
    "Case Was Approved And My Decision Was Emailed",
    "Case Rejected For Incorrect Fee And Form Not Signed",
    "Case is Ready to Be Scheduled for An Interview",
    "Case Rejected Because The Version Of The Form I Sent Is No Longer Accepted",
    "Duplicate Notice Was Mailed",
    "Expedite Request Received",
    "Date of Birth Was Updated",
]

# The brief's list of titles that must be known, and their Spanish titles.
TITLES = [
    ("Case Was Received", "Caso Fue Recibido"),
    ("Case Is Being Actively Reviewed By USCIS", "Caso Está Siendo Revisado Activamente por USCIS"),
    ("Request for Additional Evidence Was Sent", "Se Envió una Solicitud de Evidencia Adicional"),
    ("Case Was Approved", "Caso Fue Aprobado"),
    ("Card Was Mailed To Me", "Tarjeta Me Fue Enviada por Correo"),
    (
        "Card Was Delivered To Me By The Post Office",
        "Tarjeta Me Fue Entregada por la Oficina de Correos",
    ),
    (
        "Case Was Transferred And A New Office Has Jurisdiction",
        "Caso Fue Transferido y una Nueva Oficina Tiene Jurisdicción",
    ),
    ("Fingerprint Fee Was Received", "Se Recibió la Tarifa de Huellas Digitales"),
    ("Interview Was Scheduled", "Entrevista Fue Programada"),
    ("Case Was Denied", "Caso Fue Denegado"),
    ("Expedite Request Received", "Se Recibió la Solicitud de Trámite Acelerado"),
    (
        "Request To Reschedule My Appointment Was Received",
        "Se Recibió Mi Solicitud para Reprogramar Mi Cita",
    ),
    ("Name Was Updated", "Nombre Fue Actualizado"),
    (
        "Notice Was Returned To USCIS Because The Post Office Could Not Deliver It",
        "Aviso Fue Devuelto a USCIS Porque la Oficina de Correos No Pudo Entregarlo",
    ),
]


@pytest.mark.parametrize(("title_en", "title_es"), TITLES)
def test_official_titles_have_their_spanish_title(title_en: str, title_es: str) -> None:
    assert status_titles(title_en) == (title_en, title_es)


@pytest.mark.parametrize(
    ("status_text", "expected"),
    [
        # Case, spacing and the typographic apostrophe do not matter.
        ("case was received", ("Case Was Received", "Caso Fue Recibido")),
        ("  Case   Was  Approved ", ("Case Was Approved", "Caso Fue Aprobado")),
        (
            "Response To USCIS’ Request For Evidence Was Received",
            (
                "Response To USCIS' Request For Evidence Was Received",
                "Se Recibió la Respuesta a la Solicitud de Evidencia de USCIS",
            ),
        ),
        # A Spanish title finds its pair.
        ("Caso Fue Denegado", ("Case Was Denied", "Caso Fue Denegado")),
        # Unknown: shown as given in both languages; blank: "not available yet".
        ("Case Was Sent To The Moon", ("Case Was Sent To The Moon", "Case Was Sent To The Moon")),
        ("", ("Case Status Is Not Available Yet", "El Estado del Caso Aún No Está Disponible")),
        ("   ", ("Case Status Is Not Available Yet", "El Estado del Caso Aún No Está Disponible")),
    ],
)
def test_status_titles_of_any_text(status_text: str, expected: tuple[str, str]) -> None:
    assert status_titles(status_text) == expected


@given(st.text(max_size=300))
def test_status_titles_never_fail_and_give_two_titles(text: str) -> None:
    title_en, title_es = status_titles(text)
    assert title_en.strip() == title_en != ""
    assert title_es.strip() == title_es != ""


@pytest.mark.parametrize("title", MOST_FREQUENT_TITLES)
def test_the_thirty_most_frequent_real_titles_are_known(title: str) -> None:
    title_en, title_es = status_titles(title)
    assert (title_en, title_es != title) == (title, True)


def test_the_table_is_well_formed() -> None:
    entries = set(statuses.vocabulary().values())
    assert len(entries) >= 60
    for entry in entries:
        for template in (entry.description_en, entry.description_es):
            names = {name for _t, name, _s, _c in string.Formatter().parse(template) if name}
            assert names == statuses.PLACEHOLDERS, (entry.title_en, names)
        assert entry.title_es != entry.title_en
    # No two rows share a title (either language).
    titles = [e.title_en.casefold() for e in entries] + [e.title_es.casefold() for e in entries]
    assert len(titles) == len(set(titles))


DAY = dt.date(2026, 3, 9)


@pytest.mark.parametrize(
    ("status_text", "expected"),
    [
        (
            "Case Was Received",
            CaseStatusText(
                title_en="Case Was Received",
                description_en=(
                    "On March 9, 2026, we received your Form I-130, Petition for Alien "
                    "Relative, Receipt Number EAC2190012345. We mailed you a receipt notice. "
                    "It tells you how we will work on your case. Please follow the steps in "
                    "the notice. If you move, tell us your new address."
                ),
                title_es="Caso Fue Recibido",
                description_es=(
                    "El 9 de marzo de 2026, recibimos su Formulario I-130, Petición de "
                    "Familiar Extranjero, Número de Recibo EAC2190012345. Le enviamos por "
                    "correo un aviso de recibo. El aviso le explica cómo trabajaremos en su "
                    "caso. Siga los pasos del aviso. Si se muda, infórmenos su nueva dirección."
                ),
            ),
        ),
        (
            "Case Was Sent To The Moon",
            CaseStatusText(
                title_en="Case Was Sent To The Moon",
                description_en=(
                    "On March 9, 2026, there was an update on your Form I-130, Petition for "
                    "Alien Relative, Receipt Number EAC2190012345. If we need anything from "
                    "you, we will mail you a notice. If you have questions, please contact us."
                ),
                title_es="Case Was Sent To The Moon",
                description_es=(
                    "El 9 de marzo de 2026, hubo una novedad en su Formulario I-130, Petición "
                    "de Familiar Extranjero, Número de Recibo EAC2190012345. Si necesitamos "
                    "algo de usted, le enviaremos un aviso por correo. Si tiene preguntas, "
                    "comuníquese con nosotros."
                ),
            ),
        ),
        (
            "",
            CaseStatusText(
                title_en="Case Status Is Not Available Yet",
                description_en=(
                    "We have your Form I-130, Petition for Alien Relative, Receipt Number "
                    "EAC2190012345. We do not have a status to show yet. Please check again "
                    "later."
                ),
                title_es="El Estado del Caso Aún No Está Disponible",
                description_es=(
                    "Tenemos su Formulario I-130, Petición de Familiar Extranjero, Número de "
                    "Recibo EAC2190012345. Todavía no tenemos un estado para mostrarle. "
                    "Vuelva a consultar más tarde."
                ),
            ),
        ),
    ],
)
@pytest.mark.django_db
def test_describe_case_fills_the_case_facts(status_text: str, expected: CaseStatusText) -> None:
    case = make_case("EAC2190012345", status_text=status_text, status_updated_on=DAY)
    assert describe_case(case) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status_updated_on", "history", "expected_en", "expected_es"),
    [
        # The case systems' status date first ...
        (dt.date(2026, 1, 31), [dt.date(2026, 3, 5)], "January 31, 2026", "31 de enero de 2026"),
        # ... else the latest recorded change ...
        (None, [dt.date(2026, 3, 5), dt.date(2026, 4, 1)], "April 1, 2026", "1 de abril de 2026"),
        # ... else the day the case was received (the factory: 2 March 2026).
        (None, [], "March 2, 2026", "2 de marzo de 2026"),
    ],
)
def test_the_status_date(
    status_updated_on: dt.date | None,
    history: list[dt.date],
    expected_en: str,
    expected_es: str,
) -> None:
    case = make_case(status_text="Case Was Approved", status_updated_on=status_updated_on)
    for day in history:
        CaseStatusChange.objects.create(
            case=case,
            status_text="Case Was Approved",
            changed_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        )
    text = describe_case(case)
    assert text.description_en.startswith(f"On {expected_en}, we approved your Form I-130")
    assert text.description_es.startswith(f"El {expected_es}, aprobamos su Formulario I-130")


@pytest.mark.parametrize(
    ("day", "english", "spanish"),
    [
        (dt.date(2026, 1, 1), "January 1, 2026", "1 de enero de 2026"),
        (dt.date(2025, 12, 31), "December 31, 2025", "31 de diciembre de 2025"),
        (dt.date(2024, 9, 15), "September 15, 2024", "15 de septiembre de 2024"),
    ],
)
def test_dates_read_as_in_each_language(day: dt.date, english: str, spanish: str) -> None:
    assert (statuses.format_date_en(day), statuses.format_date_es(day)) == (english, spanish)
