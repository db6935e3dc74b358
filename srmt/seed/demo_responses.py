"""The demo's responses: each tells its customer something new (an action on their file and
its date), in their language, so that the new-information check (ADR 39) lets it through as
it would a real writer's. The dates vary from request to request, as real news does, so that
no sentence becomes a phrase sent to many customers."""

from __future__ import annotations

import datetime as dt

from srmt.service_requests.choices import ResponseKind
from srmt.service_requests.models import ServiceRequest

_MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]

_BODIES = {
    ("en", ResponseKind.INITIAL): (
        "On {day}, an officer at the {office} pulled your file and found that your "
        "biometrics appointment notice was returned to us as undeliverable. We mailed a new "
        "appointment notice to your address on {day}."
    ),
    ("en", ResponseKind.FINAL): (
        "On {day}, we corrected the spelling of your name in our records and ordered a new "
        "approval notice for you. The new notice was mailed to your address on {day}."
    ),
    ("es", ResponseKind.INITIAL): (
        "El {day}, un funcionario de la oficina {office} revisó su expediente y vio que su "
        "aviso de cita de datos biométricos nos fue devuelto por el correo. Le enviamos un "
        "nuevo aviso de cita a su dirección el {day}."
    ),
    ("es", ResponseKind.FINAL): (
        "El {day}, corregimos la ortografía de su nombre en nuestros registros y pedimos un "
        "nuevo aviso de aprobación para usted. El nuevo aviso se le envió por correo el {day}."
    ),
}


def demo_response(sr: ServiceRequest, kind: ResponseKind, *, on: dt.date) -> str:
    """The body of the demo's `kind` response to `sr`, telling of an action taken `on` (a
    final response: two days later, news the initial one did not give)."""
    if kind == ResponseKind.FINAL:
        on += dt.timedelta(days=2)
    language = "es" if sr.requester.language == "es" else "en"
    if language == "es":
        day = f"{on.day} de {_MONTHS_ES[on.month - 1]} de {on.year}"
    else:
        day = f"{on:%B} {on.day}, {on.year}"
    return _BODIES[(language, kind)].format(day=day, office=sr.office.name)
