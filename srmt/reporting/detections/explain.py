"""What a detection says, in English and Spanish: observed against expected, since when,
how unusual, what stands out inside it, and where the matching requests stand now.

What stands out is read from the rollups: for each dimension the series does not fix
(channel, form, office, language), each value's opened requests during the event against
its expected share, the share it had on the same weekdays of the four weeks before the
event. A value is named when it accounts for at least a quarter of the change and moved
further than the whole series did (two at most per dimension). Confidential units
(8 U.S.C. 1367) are counted in their parent office, so an explanation never names one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from srmt.cases.choices import Language
from srmt.reporting.detections.series import SeriesKey
from srmt.reporting.models import DailyRollup
from srmt.service_requests.choices import Channel, Status
from srmt.service_requests.models import ServiceRequest, ServiceRequestType

BASELINE_WEEKS = 4
SHARE_NAMED = 0.25  # a value is named when it carries this share of the change
NAMED_PER_DIMENSION = 2
BREAKDOWN = ("channel", "form", "office", "language")


@dataclass(frozen=True)
class Facts:
    """Everything an explanation says, in no language yet."""

    key: SeriesKey
    kind: str  # spike | drop | level_shift
    direction: str  # up | down
    start: dt.date
    end: dt.date
    ongoing: bool  # the event reaches the last day read
    observed: float  # spikes and drops: total; level shifts: a day, over measured_days
    expected: float
    measured_days: int
    p_value: float
    contributors: list[dict[str, Any]]
    statuses: dict[str, int]


def _folded_office() -> models.Case:
    return models.Case(
        models.When(Q(office__is_confidential=True), then=F("office__parent__code")),
        default=F("office__code"),
        output_field=models.CharField(),
    )


def _event_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _breakdown(
    cells: QuerySet[DailyRollup], dimension: str, *, start: dt.date, days: list[dt.date]
) -> dict[str, tuple[float, float]]:
    """Each value of `dimension`: (opened during the event, opened on the baseline weeks'
    same weekdays, as many of each weekday as the event has, per week)."""
    column = "office_shown" if dimension == "office" else dimension
    rows = cells.annotate(office_shown=_folded_office()) if dimension == "office" else cells
    weekdays: dict[int, int] = defaultdict(int)
    for day in days:
        weekdays[day.weekday()] += 1
    during: dict[str, float] = defaultdict(float)
    usual: dict[str, float] = defaultdict(float)
    for row in rows.values("day", column).annotate(n=Sum("opened")).order_by():
        value, day, n = str(row[column] or ""), row["day"], float(row["n"] or 0)
        if day >= start:
            during[value] += n
        else:
            usual[value] += n * weekdays.get(day.weekday(), 0) / BASELINE_WEEKS
    return {v: (during.get(v, 0.0), usual.get(v, 0.0)) for v in {*during, *usual}}


def _named(
    dimension: str,
    values: dict[str, tuple[float, float]],
    *,
    sign: float,
    expected_total: float,
    overall: float,
    total_excess: float,
) -> list[dict[str, Any]]:
    usual_total = sum(u for _d, u in values.values())
    scored = []
    for value, (during_n, usual_n) in values.items():
        expected = (usual_n / usual_total if usual_total else 0.0) * expected_total
        scored.append((sign * (during_n - expected), value, during_n, expected))
    scored.sort(key=lambda item: (-item[0], item[1]))
    named = []
    for excess, value, during_n, expected in scored[:NAMED_PER_DIMENSION]:
        ratio = during_n / expected if expected > 0 else float("inf")
        # It carries a good share of the change, and moved further than the whole series.
        if excess >= SHARE_NAMED * total_excess and sign * (ratio - overall) > 0:
            named.append(
                {
                    "dimension": dimension,
                    "value": value,
                    "observed": round(during_n),
                    "expected": round(expected, 1),
                }
            )
    return named


def contributors(
    key: SeriesKey, *, start: dt.date, end: dt.date, expected_total: float, direction: str
) -> list[dict[str, Any]]:
    """The values inside the series that account for the change, per dimension."""
    sign = 1.0 if direction == "up" else -1.0
    days = _event_days(start, end)
    baseline_from = start - dt.timedelta(weeks=BASELINE_WEEKS)
    cells = DailyRollup.objects.filter(day__range=(baseline_from, end), **key.rollup_filter())
    fixed = {dimension for dimension, _value in key.values}
    breakdowns = [
        (dimension, _breakdown(cells, dimension, start=start, days=days))
        for dimension in BREAKDOWN
        if dimension not in fixed
    ]
    if not breakdowns:
        return []
    observed_total = sum(during for during, _usual in breakdowns[0][1].values())
    total_excess = sign * (observed_total - expected_total)
    if total_excess <= 0:
        return []
    overall = observed_total / expected_total if expected_total > 0 else float("inf")
    found: list[dict[str, Any]] = []
    for dimension, values in breakdowns:
        if len(values) < 2:
            continue  # one value only (every request in English): nothing stands out
        found += _named(
            dimension,
            values,
            sign=sign,
            expected_total=expected_total,
            overall=overall,
            total_excess=total_excess,
        )
    return found


def statuses(key: SeriesKey, *, start: dt.date, end: dt.date) -> dict[str, int]:
    """The statuses now of the requests of this series opened during the event (one query):
    requests counted at the office that holds them now."""
    lookups = {
        "office": "office__code",
        "type": "type__code",
        "form": "case__form_type__code",
        "channel": "channel",
    }
    since = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    requests = ServiceRequest.objects.filter(
        created_at__gte=since,
        created_at__lt=until,
        **{lookups[dimension]: value for dimension, value in key.values},
    )
    rows = requests.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


# --- the text ----------------------------------------------------------------------------


def _type_names() -> dict[str, tuple[str, str]]:
    return {t.code: (t.name_en, t.name_es) for t in ServiceRequestType.objects.all()}


def _number(value: float, places: int = 0) -> str:
    return formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def _date(day: dt.date) -> str:
    return day.isoformat()


def _chance(p: float) -> str:
    """How unusual, in words."""
    for limit, words in (
        (1e-6, _("less than once in a million")),
        (1e-5, _("less than once in 100,000")),
        (1e-4, _("less than once in 10,000")),
        (1e-3, _("less than once in 1,000")),
        (1e-2, _("less than once in 100")),
    ):
        if p < limit:
            return words
    return _("about once in %(n)s") % {"n": _number(1 / p)}


def _p(p: float) -> str:
    return "p < 1e-12" if p < 1e-12 else f"p = {p:.2g}"


def _value_label(dimension: str, value: str, names: dict[str, tuple[str, str]]) -> str:
    spanish = (translation.get_language() or "en").startswith("es")
    if dimension == "office":
        return _("Office %(code)s") % {"code": value}
    if dimension == "form":
        return _("Form %(code)s") % {"code": value} if value else _("requests without a case")
    if dimension == "type":
        en, es = names.get(value, (value, value))
        return es if spanish else en
    if dimension == "channel":
        return str(Channel(value).label) if value in Channel.values else value
    if dimension == "language":
        return str(Language(value).label) if value in Language.values else value
    return value


def series_label(key: SeriesKey, names: dict[str, tuple[str, str]] | None = None) -> str:
    if not key.values:
        return _("All offices")
    names = names if names is not None else _type_names()
    return ", ".join(_value_label(d, v, names) for d, v in key.values)


def _since(facts: Facts) -> str:
    length = (facts.end - facts.start).days + 1
    values = {"start": _date(facts.start), "end": _date(facts.end), "days": length}
    if facts.ongoing and length > 1:
        return _("since %(start)s (%(days)s days so far)") % values
    if length == 1:
        return _("on %(start)s") % values
    return _("from %(start)s to %(end)s (%(days)s days)") % values


def _statuses_text(counts: dict[str, int]) -> str:
    ordered = sorted(
        ((n, status) for status, n in counts.items() if n),
        key=lambda item: (-item[0], Status.values.index(item[1])),
    )
    return ", ".join(
        _("%(count)s %(status)s") % {"count": _number(n), "status": str(Status(s).label).lower()}
        for n, s in ordered
    )


def _headline(facts: Facts, label: str) -> str:
    """Observed against expected, and since when, in the active language."""
    change = facts.observed / facts.expected - 1 if facts.expected > 0 else 0.0
    values = {
        "label": label,
        "since": _since(facts),
        "observed": _number(facts.observed),
        "expected": _number(facts.expected),
        "difference": _number(abs(facts.observed - facts.expected)),
        "percent": f"{abs(change):.0%}",
    }
    if facts.kind == "level_shift":
        values["observed"] = _number(facts.observed, 1)
        values["expected"] = _number(facts.expected, 1)
        values["measured"] = str(facts.measured_days)
        if facts.direction == "up":
            return (
                _(
                    "%(label)s: the number of requests opened each day went up %(percent)s "
                    "%(since)s: %(observed)s a day over its first %(measured)s days, against "
                    "%(expected)s a day expected."
                )
                % values
            )
        return (
            _(
                "%(label)s: the number of requests opened each day went down %(percent)s "
                "%(since)s: %(observed)s a day over its first %(measured)s days, against "
                "%(expected)s a day expected."
            )
            % values
        )
    if facts.direction == "up":
        return (
            _(
                "%(label)s: %(observed)s requests opened %(since)s, %(difference)s more "
                "than the %(expected)s expected (%(percent)s above)."
            )
            % values
        )
    return (
        _(
            "%(label)s: %(observed)s requests opened %(since)s, %(difference)s fewer "
            "than the %(expected)s expected (%(percent)s below)."
        )
        % values
    )


def _stands_out(facts: Facts, names: dict[str, tuple[str, str]]) -> str:
    parts = ", ".join(
        _("%(value)s (%(observed)s, against %(expected)s expected)")
        % {
            "value": _value_label(c["dimension"], c["value"], names),
            "observed": _number(c["observed"]),
            "expected": _number(c["expected"]),
        }
        for c in facts.contributors
    )
    return _("What stands out: %(parts)s.") % {"parts": parts}


def explain(facts: Facts, language: str) -> str:
    """The plain-language explanation of one detection in `language` ("en" or "es")."""
    with translation.override(language):
        names = _type_names()
        sentences = [
            _headline(facts, series_label(facts.key, names)),
            _(
                "By chance alone, a change like this would happen %(chance)s (%(p)s), after "
                "allowing for weekdays, holidays, season and trend."
            )
            % {"chance": _chance(facts.p_value), "p": _p(facts.p_value)},
        ]
        if facts.contributors:
            sentences.append(_stands_out(facts, names))
        if facts.statuses:
            sentences.append(
                _("Those requests now: %(statuses)s.")
                % {"statuses": _statuses_text(facts.statuses)}
            )
        return " ".join(sentences)
