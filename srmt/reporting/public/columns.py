"""The columns and tables the public release publishes, in English and Spanish (ADR 0049).

The descriptions say how each figure is computed, from `docs/metrics.md`; the public pages
show them under each figure, and the open-data files carry them in their data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

from .release_types import Column, ColumnType


def _c(name: str, kind: ColumnType, en: str, es: str, den: str, des: str) -> Column:
    return Column(name, en, es, kind, den, des)


MONTH = _c(
    "month",
    "string",
    "Month",
    "Mes",
    "The reporting month (YYYY-MM): the complete weeks, Monday to Sunday, whose Thursday "
    "falls in that calendar month.",
    "El mes del informe (AAAA-MM): las semanas completas, de lunes a domingo, cuyo jueves "
    "cae en ese mes.",
)
WEEKS = _c(
    "weeks",
    "integer",
    "Weeks",
    "Semanas",
    "How many complete weeks of the month are in the period shown.",
    "Cuántas semanas completas del mes están en el período mostrado.",
)
WEEK = _c(
    "week",
    "date",
    "Week starting",
    "Semana que empieza",
    "The Monday that starts the week (Monday to Sunday, UTC).",
    "El lunes en que empieza la semana (de lunes a domingo, UTC).",
)
TYPE = _c(
    "type",
    "string",
    "Request type code",
    "Código del tipo de solicitud",
    "The code of the type of request.",
    "El código del tipo de solicitud.",
)
TYPE_EN = _c(
    "type_name_en",
    "string",
    "Request type",
    "Tipo de solicitud (inglés)",
    "The name of the type of request, in English.",
    "El nombre del tipo de solicitud, en inglés.",
)
TYPE_ES = _c(
    "type_name_es",
    "string",
    "Request type (Spanish)",
    "Tipo de solicitud",
    "The name of the type of request, in Spanish.",
    "El nombre del tipo de solicitud, en español.",
)
CHANNEL = _c(
    "channel",
    "string",
    "Channel code",
    "Código del canal",
    "How the request reached us (phone, online, mail, ...), as a code.",
    "Cómo nos llegó la solicitud (teléfono, en línea, correo, ...), como código.",
)
CHANNEL_EN = _c(
    "channel_name_en",
    "string",
    "Channel",
    "Canal (inglés)",
    "How the request reached us, in English.",
    "Cómo nos llegó la solicitud, en inglés.",
)
CHANNEL_ES = _c(
    "channel_name_es",
    "string",
    "Channel (Spanish)",
    "Canal",
    "How the request reached us, in Spanish.",
    "Cómo nos llegó la solicitud, en español.",
)
FORM = _c(
    "form",
    "string",
    "Form",
    "Formulario",
    "The form of the case the request is about (e.g. I-485); blank when the request is "
    "about no case.",
    "El formulario del caso al que se refiere la solicitud (p. ej. I-485); en blanco si la "
    "solicitud no se refiere a ningún caso.",
)
FORM_EN = _c(
    "form_name_en",
    "string",
    "Form name",
    "Nombre del formulario (inglés)",
    "The name of the form, in English.",
    "El nombre del formulario, en inglés.",
)
FORM_ES = _c(
    "form_name_es",
    "string",
    "Form name (Spanish)",
    "Nombre del formulario",
    "The name of the form, in Spanish.",
    "El nombre del formulario, en español.",
)
OFFICE = _c(
    "office",
    "string",
    "Office code",
    "Código de la oficina",
    "The office that held the request when it happened. Confidential units are counted "
    "in their parent office.",
    "La oficina que tenía la solicitud cuando ocurrió. Las unidades confidenciales se "
    "cuentan en su oficina principal.",
)
OFFICE_NAME = _c(
    "office_name",
    "string",
    "Office",
    "Oficina",
    "The name of the office.",
    "El nombre de la oficina.",
)
OPENED = _c(
    "requests_opened",
    "integer",
    "Requests opened",
    "Solicitudes abiertas",
    "Service requests we received in the period, duplicates included.",
    "Solicitudes de servicio que recibimos en el período, incluidas las duplicadas.",
)
CLOSED = _c(
    "requests_closed",
    "integer",
    "Requests closed",
    "Solicitudes cerradas",
    "Requests closed with a final response in the period.",
    "Solicitudes cerradas con una respuesta final en el período.",
)
OPEN_END = _c(
    "open_at_end",
    "integer",
    "Open at end of period",
    "Abiertas al final del período",
    "Requests still open at the end of the last day of the period (or of the month).",
    "Solicitudes aún abiertas al final del último día del período (o del mes).",
)
FIRST_MEDIAN = _c(
    "first_response_median_days",
    "integer",
    "Median days to first response",
    "Mediana de días hasta la primera respuesta",
    "Half of the first responses sent in the period came within this many whole days of "
    "the request.",
    "La mitad de las primeras respuestas enviadas en el período llegaron en este número de "
    "días completos o menos.",
)
FIRST_P80 = _c(
    "first_response_p80_days",
    "integer",
    "80% of first responses within (days)",
    "80% de las primeras respuestas en (días)",
    "Eight in ten first responses sent in the period came within this many whole days.",
    "Ocho de cada diez primeras respuestas enviadas en el período llegaron en este número "
    "de días completos o menos.",
)
FINAL_MEDIAN = _c(
    "final_response_median_days",
    "integer",
    "Median days to final response",
    "Mediana de días hasta la respuesta final",
    "Half of the requests closed in the period got their final response within this many "
    "whole days.",
    "La mitad de las solicitudes cerradas en el período recibieron su respuesta final en "
    "este número de días completos o menos.",
)
FINAL_P80 = _c(
    "final_response_p80_days",
    "integer",
    "80% of final responses within (days)",
    "80% de las respuestas finales en (días)",
    "Eight in ten requests closed in the period got their final response within this many "
    "whole days.",
    "Ocho de cada diez solicitudes cerradas en el período recibieron su respuesta final en "
    "este número de días completos o menos.",
)
FINAL_15 = _c(
    "final_within_15_days",
    "number",
    "Share answered within 15 days",
    "Proporción respondida en 15 días",
    "The share (0 to 1) of requests closed in the period whose final response came within "
    "15 days of the request (in fewer than 15 whole days).",
    "La proporción (de 0 a 1) de las solicitudes cerradas en el período cuya respuesta "
    "final llegó dentro de los 15 días siguientes a la solicitud (en menos de 15 días "
    "completos).",
)
ESCALATED = _c(
    "escalated",
    "integer",
    "Escalations",
    "Escalamientos",
    "Escalation steps reached in the period (a request past its deadline is escalated to a "
    "supervisor, then higher).",
    "Niveles de escalamiento alcanzados en el período (una solicitud vencida se escala a un "
    "supervisor y luego más arriba).",
)
ESCALATION_RATE = _c(
    "escalation_rate",
    "number",
    "Escalations per request opened",
    "Escalamientos por solicitud abierta",
    "Escalations in the period divided by requests opened in the period.",
    "Escalamientos del período divididos entre las solicitudes abiertas en el período.",
)
REPEATS = _c(
    "repeat_requests",
    "integer",
    "Repeat requests",
    "Solicitudes repetidas",
    "Requests opened in the period that repeat an earlier request about the same case.",
    "Solicitudes abiertas en el período que repiten una solicitud anterior sobre el mismo caso.",
)
REPEAT_RATE = _c(
    "repeat_rate",
    "number",
    "Share of repeat requests",
    "Proporción de solicitudes repetidas",
    "Repeat requests divided by requests opened in the period (0 to 1).",
    "Solicitudes repetidas divididas entre las solicitudes abiertas en el período (de 0 a 1).",
)
REOPENED = _c(
    "reopened",
    "integer",
    "Reopened",
    "Reabiertas",
    "Closed requests reopened in the period.",
    "Solicitudes cerradas que se reabrieron en el período.",
)
REOPEN_RATE = _c(
    "reopen_rate",
    "number",
    "Reopenings per request closed",
    "Reaperturas por solicitud cerrada",
    "Reopenings in the period divided by requests closed in the period.",
    "Reaperturas del período divididas entre las solicitudes cerradas en el período.",
)
ANSWERED = _c(
    "surveys_answered",
    "integer",
    "Surveys answered",
    "Encuestas respondidas",
    "Satisfaction surveys answered in the period.",
    "Encuestas de satisfacción respondidas en el período.",
)
SATISFIED = _c(
    "satisfied_share",
    "number",
    "Share satisfied",
    "Proporción satisfecha",
    "The share (0 to 1) of answers that rated our service 4 or 5 out of 5.",
    "La proporción (de 0 a 1) de respuestas que calificaron nuestro servicio con 4 o 5 de 5.",
)
MEAN_RATING = _c(
    "mean_rating",
    "number",
    "Mean rating (1 to 5)",
    "Calificación media (1 a 5)",
    "The average of the ratings given in the answered surveys.",
    "El promedio de las calificaciones dadas en las encuestas respondidas.",
)


@dataclass(frozen=True)
class TableSpec:
    slug: str
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    columns: tuple[Column, ...]


BY_MONTH = (MONTH, WEEKS)
BY_TYPE = (TYPE, TYPE_EN, TYPE_ES)
VOLUME = (OPENED, CLOSED, OPEN_END)
TIMELINESS = (FIRST_MEDIAN, FIRST_P80, FINAL_MEDIAN, FINAL_P80, FINAL_15)
ESCALATIONS = (OPENED, ESCALATED, ESCALATION_RATE)
REPEATS_COLUMNS = (OPENED, REPEATS, REPEAT_RATE, CLOSED, REOPENED, REOPEN_RATE)
SATISFACTION = (ANSWERED, SATISFIED, MEAN_RATING)

_VOLUME_EN = "Requests opened and closed, and requests open at the end"
_VOLUME_ES = "Solicitudes abiertas y cerradas, y solicitudes abiertas al final"

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "volume-by-month",
        "Requests by month",
        "Solicitudes por mes",
        f"{_VOLUME_EN} of each month.",
        f"{_VOLUME_ES} de cada mes.",
        (*BY_MONTH, *VOLUME),
    ),
    TableSpec(
        "volume-by-week",
        "Requests by week",
        "Solicitudes por semana",
        "Requests opened and closed each complete week (Monday to Sunday).",
        "Solicitudes abiertas y cerradas cada semana completa (de lunes a domingo).",
        (WEEK, MONTH, OPENED, CLOSED),
    ),
    TableSpec(
        "volume-by-type",
        "Requests by type",
        "Solicitudes por tipo",
        f"{_VOLUME_EN} of the period, by type of request.",
        f"{_VOLUME_ES} del período, por tipo de solicitud.",
        (*BY_TYPE, *VOLUME),
    ),
    TableSpec(
        "volume-by-channel",
        "Requests by channel",
        "Solicitudes por canal",
        f"{_VOLUME_EN} of the period, by how the request reached us.",
        f"{_VOLUME_ES} del período, según cómo nos llegó la solicitud.",
        (CHANNEL, CHANNEL_EN, CHANNEL_ES, *VOLUME),
    ),
    TableSpec(
        "volume-by-form",
        "Requests by form",
        "Solicitudes por formulario",
        f"{_VOLUME_EN} of the period, by the form of the case.",
        f"{_VOLUME_ES} del período, según el formulario del caso.",
        (FORM, FORM_EN, FORM_ES, *VOLUME),
    ),
    TableSpec(
        "volume-by-office",
        "Requests by office",
        "Solicitudes por oficina",
        f"{_VOLUME_EN} of the period, by office.",
        f"{_VOLUME_ES} del período, por oficina.",
        (OFFICE, OFFICE_NAME, *VOLUME),
    ),
    TableSpec(
        "volume-by-office-and-form",
        "Requests by office and form",
        "Solicitudes por oficina y formulario",
        f"{_VOLUME_EN} of the period, by office and form of the case.",
        f"{_VOLUME_ES} del período, por oficina y formulario del caso.",
        (OFFICE, OFFICE_NAME, FORM, *VOLUME),
    ),
    TableSpec(
        "timeliness-by-month",
        "Time to respond by month",
        "Tiempo de respuesta por mes",
        "How long requests waited for a first and a final response, by the month of the response.",
        "Cuánto esperaron las solicitudes una primera respuesta y una respuesta final, según "
        "el mes de la respuesta.",
        (*BY_MONTH, *TIMELINESS),
    ),
    TableSpec(
        "timeliness-by-type",
        "Time to respond by type",
        "Tiempo de respuesta por tipo",
        "How long requests waited for a first and a final response in the period, by type "
        "of request.",
        "Cuánto esperaron las solicitudes una primera respuesta y una respuesta final en el "
        "período, por tipo de solicitud.",
        (*BY_TYPE, *TIMELINESS),
    ),
    TableSpec(
        "escalations-by-month",
        "Escalations by month",
        "Escalamientos por mes",
        "Requests escalated because they were late, by month.",
        "Solicitudes escaladas por estar atrasadas, por mes.",
        (*BY_MONTH, *ESCALATIONS),
    ),
    TableSpec(
        "escalations-by-type",
        "Escalations by type",
        "Escalamientos por tipo",
        "Requests escalated because they were late, by type of request.",
        "Solicitudes escaladas por estar atrasadas, por tipo de solicitud.",
        (*BY_TYPE, *ESCALATIONS),
    ),
    TableSpec(
        "repeats-by-month",
        "Repeat and reopened requests by month",
        "Solicitudes repetidas y reabiertas por mes",
        "Requests that repeat an earlier one, and closed requests reopened, by month.",
        "Solicitudes que repiten una anterior, y solicitudes cerradas que se reabrieron, por mes.",
        (*BY_MONTH, *REPEATS_COLUMNS),
    ),
    TableSpec(
        "repeats-by-type",
        "Repeat and reopened requests by type",
        "Solicitudes repetidas y reabiertas por tipo",
        "Requests that repeat an earlier one, and closed requests reopened, by type of request.",
        "Solicitudes que repiten una anterior, y solicitudes cerradas que se reabrieron, por "
        "tipo de solicitud.",
        (*BY_TYPE, *REPEATS_COLUMNS),
    ),
    TableSpec(
        "satisfaction-by-month",
        "Customer satisfaction by month",
        "Satisfacción de los clientes por mes",
        "Answers to the survey sent after a final response, by the month of the answer.",
        "Respuestas a la encuesta enviada después de una respuesta final, según el mes de la "
        "respuesta.",
        (*BY_MONTH, *SATISFACTION),
    ),
    TableSpec(
        "satisfaction-by-type",
        "Customer satisfaction by type",
        "Satisfacción de los clientes por tipo",
        "Answers to the survey sent after a final response, by type of request.",
        "Respuestas a la encuesta enviada después de una respuesta final, por tipo de solicitud.",
        (*BY_TYPE, *SATISFACTION),
    ),
)

SPECS = {spec.slug: spec for spec in TABLES}
