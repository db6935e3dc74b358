"""Spike and trend detection benchmark on labelled synthetic series (ADR 0046).

    .venv/bin/python bench/spikes.py [--seeds 101,102] [--series 200] [--days 900]
    (or `make bench-spikes`)

The generator (srmt.reporting.spikes.synthetic) draws each seed's series and labelled events.
The detector's settings were chosen on seeds 1 and 2 only; the figures printed are for the
held-out seeds (101, 102 by default), which were not looked at while tuning.

A detection counts when it is on the event's series and starts on the event's first day or
the next; each event is matched once, each detection once. Printed: precision and recall
overall and per kind (recall per labelled kind, precision per detected kind), how often a
matched detection has the labelled kind, false alarms per 1,000 series-days, and runtime
(per series-day and per 1,000 series-years, one process).
Results also go to var/bench/spikes-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")

from srmt.reporting.spikes import detect  # noqa: E402
from srmt.reporting.spikes.synthetic import generate  # noqa: E402

KINDS = ("spike", "drop", "level_shift")


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
        "seconds": elapsed,
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
    for r in results:
        events.update(r["events"])  # type: ignore[arg-type]
        found.update(r["events_found"])  # type: ignore[arg-type]
        detections.update(r["detections"])  # type: ignore[arg-type]
        right.update(r["detections_right"])  # type: ignore[arg-type]
    series_days = sum(int(r["series_days"]) for r in results)  # type: ignore[call-overload]
    false_alarms = sum(int(r["false_alarms"]) for r in results)  # type: ignore[call-overload]
    matched = sum(int(r["matched"]) for r in results)  # type: ignore[call-overload]
    agrees = sum(int(r["kind_agrees"]) for r in results)  # type: ignore[call-overload]
    seconds = sum(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
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
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"spikes-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=dict))
    print(f"Results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
