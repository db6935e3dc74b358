"""Spike and trend detection benchmark on labelled synthetic series (ADR 0046).

    .venv/bin/python bench/spikes.py [--seeds 101,102] [--series 200] [--days 900]
    (or `make bench-spikes`)

The generator (srmt.reporting.spikes.synthetic) draws each seed's series and labelled events.
The detector's settings were chosen on seeds 1 and 2 only; the figures printed are for the
held-out seeds (101, 102 by default), which were not looked at while tuning.

A detection counts when it is on the event's series and starts on the event's first day or
the next; each event is matched once, each detection once. Printed: precision and recall
overall and per kind (recall per labelled kind, precision per detected kind), how often a
matched detection has the labelled kind, false alarms per 1,000 series-days, runtime
(per series-day and per 1,000 series-years, one process), and a ceiling: what a detector
that knew how the series were drawn could reach (`ceiling`; a reference, not a bound).
Results also go to var/bench/spikes-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")

import numpy as np  # noqa: E402

from srmt.reporting.spikes import Config, detect  # noqa: E402
from srmt.reporting.spikes.detector import _tails  # noqa: E402
from srmt.reporting.spikes.synthetic import Dataset, generate  # noqa: E402

KINDS = ("spike", "drop", "level_shift")


def ceiling(data: Dataset, config: Config) -> dict[str, int]:
    """What a detector that knew how the series were drawn could reach (a reference for
    the figures, not part of the detector):

    - a spike or drop whose most unusual day, against the true expected count without it
      and the true dispersion, has a one-sided p-value above the detector's one-day bar
      (`p_floor` / `burst_days`) cannot be found from one day alone;
    - a level shift is dated right ("its first day or the next") when, knowing the expected
      counts before and after the step and the dispersion, and reading the 14 days before
      its first day to the 7 after, the likeliest pair of days (the rule the detector uses)
      starts on its first day or the next."""
    origin = min(day for points in data.series.values() for day, _ in points)
    bar = config.p_floor / max(1, config.burst_days)
    out = {"spike": 0, "drop": 0, "level_shift": 0}
    for event in data.events:
        truth = data.truth[event.series]
        counts = dict(data.series[event.series])
        first = (event.start - origin).days
        before = truth.multiplier[first - 1]
        size = 1.0 / truth.alpha
        if event.kind in ("spike", "drop"):
            best = 1.0
            for i in range(first, (event.end - origin).days + 1):
                mu = float(truth.baseline[i] * before)
                observed = float(counts[origin + dt.timedelta(days=i)])
                p_up, p_down = _tails(observed, mu, mu + truth.alpha * mu * mu)
                best = min(best, p_up if event.kind == "spike" else p_down)
            out[event.kind] += int(best <= bar)
            continue
        lo, hi = first - 14, min(first + 7, len(truth.baseline) - 1)
        y = np.array([counts[origin + dt.timedelta(days=i)] for i in range(lo, hi + 1)], float)
        mu = truth.baseline[lo : hi + 1] * before
        ratio = truth.multiplier[first] / before
        pre = y * np.log(mu) - (y + size) * np.log(mu + size)
        post = y * np.log(mu * ratio) - (y + size) * np.log(mu * ratio + size)
        weights = np.array([pre[:j].sum() + post[j:].sum() for j in range(len(y))])
        mass = np.exp(weights - weights.max())
        pairs = mass + np.concatenate([[0.0], mass[:-1]])
        out["level_shift"] += int(lo + int(np.argmax(pairs)) - first in (0, 1))
    return out


def unlabelled_returns(data: Dataset) -> list[tuple[str, dt.date]]:
    """Days on which a labelled temporary level shift ends, its series going back to the
    level before it, with no labelled event starting there. The generator once labelled a
    return only when it fell at least 30 days before the last day while the counts went
    back all the same; it now makes such a shift last to the end (`synthetic._place`), so
    this is a guard that should print 0. The matching and the figures do not use it."""
    last = max(day for points in data.series.values() for day, _ in points)
    starts = {(event.series, event.start) for event in data.events}
    out = []
    for event in data.events:
        back = event.end + dt.timedelta(days=1)
        if event.kind == "level_shift" and event.end < last and (event.series, back) not in starts:
            out.append((event.series, back))
    return out


def score(seed: int, series: int, days: int) -> dict[str, object]:
    data = generate(seed, series=series, days=days)
    started = time.perf_counter()
    detections = detect(data.series)
    elapsed = time.perf_counter() - started
    events_by_series: dict[str, list[int]] = {}
    for i, event in enumerate(data.events):
        events_by_series.setdefault(event.series, []).append(i)
    matched: dict[int, int] = {}  # event -> detection
    for j, detection in enumerate(detections):
        for i in events_by_series.get(detection.series, []):
            if i not in matched and (detection.start - data.events[i].start).days in (0, 1):
                matched[i] = j
                break
    hit_detections = set(matched.values())
    returns = unlabelled_returns(data)
    on_returns = sum(
        1
        for j, detection in enumerate(detections)
        if j not in hit_detections
        and any(
            name == detection.series and (detection.start - day).days in (0, 1)
            for name, day in returns
        )
    )
    series_days = sum(len(points) for points in data.series.values())
    return {
        "seed": seed,
        "series": series,
        "series_days": series_days,
        "events": Counter(e.kind for e in data.events),
        "events_found": Counter(data.events[i].kind for i in matched),
        "detections": Counter(d.kind for d in detections),
        "detections_right": Counter(detections[j].kind for j in hit_detections),
        "kind_agrees": sum(detections[j].kind == data.events[i].kind for i, j in matched.items()),
        "matched": len(matched),
        "false_alarms": len(detections) - len(hit_detections),
        "unlabelled_returns": len(returns),
        "false_alarms_on_unlabelled_returns": on_returns,
        "seconds": elapsed,
        "ceiling": ceiling(data, Config()),
    }


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="101,102", help="held-out seeds (tuning used 1 and 2)")
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--days", type=int, default=900)
    args = parser.parse_args()
    results = [score(int(s), args.series, args.days) for s in args.seeds.split(",")]
    events: Counter[str] = Counter()
    found: Counter[str] = Counter()
    detections: Counter[str] = Counter()
    right: Counter[str] = Counter()
    best: Counter[str] = Counter()
    for r in results:
        best.update(r["ceiling"])  # type: ignore[arg-type]
        events.update(r["events"])  # type: ignore[arg-type]
        found.update(r["events_found"])  # type: ignore[arg-type]
        detections.update(r["detections"])  # type: ignore[arg-type]
        right.update(r["detections_right"])  # type: ignore[arg-type]
    series_days = sum(int(r["series_days"]) for r in results)  # type: ignore[call-overload]
    false_alarms = sum(int(r["false_alarms"]) for r in results)  # type: ignore[call-overload]
    matched = sum(int(r["matched"]) for r in results)  # type: ignore[call-overload]
    agrees = sum(int(r["kind_agrees"]) for r in results)  # type: ignore[call-overload]
    seconds = sum(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
    returns = sum(int(r["unlabelled_returns"]) for r in results)  # type: ignore[call-overload]
    on_returns = sum(
        int(r["false_alarms_on_unlabelled_returns"])  # type: ignore[call-overload]
        for r in results
    )
    print(
        f"Spike detection, seeds {args.seeds}: {len(results) * args.series} series x "
        f"{args.days} days ({series_days:,} series-days), {sum(events.values())} labelled events\n"
    )
    print("| kind | events | recall | detections | precision |")
    print("|---|---:|---:|---:|---:|")
    for kind in KINDS:
        print(
            f"| {kind} | {events[kind]} | {ratio(found[kind], events[kind]):.3f} | "
            f"{detections[kind]} | {ratio(right[kind], detections[kind]):.3f} |"
        )
    total_detections = sum(detections.values())
    print(
        f"| **overall** | {sum(events.values())} | {ratio(matched, sum(events.values())):.3f} | "
        f"{total_detections} | {ratio(total_detections - false_alarms, total_detections):.3f} |"
    )
    print(
        f"\nKind agrees with the label on {ratio(agrees, matched):.1%} of matched detections; "
        f"false alarms: {false_alarms} = {1000 * false_alarms / series_days:.3f} per 1,000 "
        f"series-days; runtime {seconds:.1f} s ({1e6 * seconds / series_days:.0f} µs per "
        f"series-day, {365.25e3 * seconds / series_days:.0f} s per 1,000 series-years)."
    )
    print(
        "\nCeiling (a detector that knew how the series were drawn; bench/spikes.py "
        f"`ceiling`): spikes {ratio(best['spike'], events['spike']):.3f} and drops "
        f"{ratio(best['drop'], events['drop']):.3f} with a day beyond the one-day bar; "
        f"level shifts dated right {ratio(best['level_shift'], events['level_shift']):.3f}; "
        f"overall {ratio(sum(best.values()), sum(events.values())):.3f}."
    )
    kept = ratio(total_detections - false_alarms + on_returns, total_detections)
    print(
        f"\nUnlabelled changes: {returns} temporary level shifts go back to their old level "
        "within the last 30 days without a labelled return (`unlabelled_returns`); "
        f"{on_returns} of the false alarms start on such a day or the next. Not counting "
        f"those: precision {kept:.3f}"
        " (a reference; the figures above are the benchmark's)."
    )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"spikes-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=dict))
    print(f"Results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
