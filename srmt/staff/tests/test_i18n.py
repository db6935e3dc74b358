"""Pages in Spanish: by the browser's Accept-Language or by the language switch."""

from __future__ import annotations

from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_case, make_service_request


def test_accept_language_gives_spanish_pages(tier1, esc_staff):
    sr = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    client = client_for(esc_staff)
    queue = client.get("/staff/queues/ESC/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in queue
    assert "Cola de trabajo: Vermont Service Center" in queue
    assert "1 solicitud de servicio coincide." in queue
    assert "<td>Recibida</td>" in queue
    assert "<td>Consulta general sobre un caso</td>" in queue
    detail = client.get(f"/staff/requests/{sr.reference}/", headers={"accept-language": "es"})
    assert f"Solicitud de servicio {sr.reference}" in detail.content.decode()


def test_language_switch_keeps_spanish_until_switched_back(esc_staff):
    client = client_for(esc_staff)
    switched = client.post("/i18n/setlang/", {"language": "es", "next": "/staff/intake/"})
    assert (switched.status_code, switched["Location"]) == (302, "/staff/intake/")
    page = client.get("/staff/intake/").content.decode()
    assert "Nueva solicitud de servicio: buscar el caso" in page
    assert 'value="en" lang="en"' in page  # the switch now offers English
    error = client.get("/staff/intake/?receipt_number=123").content.decode()
    assert "Un número de recibo tiene 3 letras seguidas de 10 dígitos" in error
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/intake/"})
    assert "New service request: find the case" in client.get("/staff/intake/").content.decode()


def test_not_found_page_in_spanish(esc_staff):
    response = client_for(esc_staff).get(
        "/staff/requests/SR-0000-0000/", headers={"accept-language": "es"}
    )
    assert response.status_code == 404
    assert "No se encontró la página" in response.content.decode()
