"""New-information check benchmark: accuracy on the evaluation set, latency at scale.

    .venv/bin/python bench/quality.py [--database NAME] [--samples N]   (or `make bench-quality`)

1. Accuracy: precision and recall of the form-letter warning, per language, on the labelled
   evaluation set (srmt/quality/evaluation/responses.jsonl) at SRMT_NEW_INFORMATION_THRESHOLD,
   and on the 162 hand-written items (handwritten.jsonl).
2. A PostgreSQL database NAME (default srmt_bench_quality), kept between runs: `srmt seed`,
   `srmt generate` (200,000 requests, COPY), then in SQL: 500 national templates for every
   request type, two versions each (INSERT ... SELECT generate_series), 1,000,000 earlier
   responses (five on each request, written from varied bodies), and the common-phrase index
   fed from those bodies plus 500,000 other phrases.
3. Latency of `assess_response` (srmt.service_requests.assessment: the context's queries and
   the engine) on --samples requests picked at random, each with a body from the evaluation
   set: p50/p99 in ms after a warm-up. Baseline, same run: the engine alone with an empty
   context (`engine.assess` on the same bodies), and the context's queries alone.

Results go to var/bench/quality-<timestamp>.json and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import psycopg
from pgdb import PG_SERVER, ROOT, Database  # bench/ is the script's directory

REQUESTS = 200_000
RESPONSES_PER_REQUEST = 5
TEMPLATES = 500
OTHER_PHRASES = 500_000


def build(db: Database) -> dict[str, Any]:
    """Create, migrate, seed, generate requests, then templates, responses and phrases."""
    if db.exists() and db.sql("SELECT to_regclass('bench_quality_built')")[0]:
        return {
            "reused": True,
            "requests": db.sql("SELECT count(*) FROM service_requests_servicerequest")[0],
            "responses": db.sql("SELECT count(*) FROM service_requests_response")[0],
        }
    started = time.perf_counter()
    if not db.exists():
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db.name}"')
    db.run("-m", "srmt", "migrate", "--verbosity", "0")
    if not db.sql("SELECT count(*) FROM service_requests_servicerequest")[0]:
        db.run("-m", "srmt", "seed")
        db.run("-m", "srmt", "generate", "--requests", str(REQUESTS), "--seed", "10",
               "--months", "12", "--end", "2026-11-20", "-v", "0")  # fmt: skip
    db.run(__file__, "--fill")
    db.sql("VACUUM ANALYZE")
    db.sql("CREATE TABLE bench_quality_built (at timestamptz DEFAULT now())")
    return {"reused": False, "build_seconds": round(time.perf_counter() - started, 1)}


# --- in process (a child with DATABASE_URL set) --------------------------------------------


def _setup() -> None:
    import django

    django.setup()


def fill() -> None:
    """Templates, responses and the common-phrase index, in SQL (one transaction)."""
    _setup()
    from django.db import connection, transaction

    from srmt.accounts.models import User
    from srmt.quality import phrases
    from srmt.quality.evaluation import load

    items = load()
    bodies = [item.body for item in items]
    languages = [item.language for item in items]
    template_en = sorted({t for i in items if i.language == "en" for t in i.context.templates})
    template_es = sorted({t for i in items if i.language == "es" for t in i.context.templates})
    with transaction.atomic():
        author, _ = User.objects.get_or_create(username="bench_writer")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO response_templates_responsetemplate (code, name, office_id, "
                "request_type, response_kind, is_active, created_by_id, created_at, updated_at) "
                "SELECT 'bench-' || g, 'Bench template ' || g, NULL, '', '', true, NULL, now(), "
                "now() FROM generate_series(1, %s) g",
                [TEMPLATES],
            )
            # Two versions each; every template's wording its own (a numbered sentence).
            cursor.execute(
                "INSERT INTO response_templates_templateversion (template_id, version, body_en, "
                "body_es, change_note, created_by_id, created_at) "
                "SELECT t.id, v, (%s::text[])[1 + t.id %% %s] || ' Guide ' || t.id || "
                "' explains step ' || v || ' for topic ' || (t.id * 7 %% 97) || '.', "
                "(%s::text[])[1 + t.id %% %s] || ' La guía ' || t.id || ' explica el paso ' || v "
                "|| ' del tema ' || (t.id * 7 %% 97) || '.', '', NULL, now() "
                "FROM response_templates_responsetemplate t CROSS JOIN generate_series(1, 2) v",
                [template_en, len(template_en), template_es, len(template_es)],
            )
            cursor.execute(
                "INSERT INTO service_requests_response (service_request_id, kind, author_id, "
                "body, delivery_channel, notification_id, template_code, template_version, "
                "new_information, form_letter, form_letter_override_reason, created_at, "
                "updated_at) "
                "SELECT s.id, 'follow_up', %s, (%s::text[])[1 + (s.id * 7 + k) %% %s], 'email', "
                "NULL, '', NULL, NULL, NULL, '', s.created_at + k * interval '1 day', "
                "s.created_at + k * interval '1 day' "
                "FROM service_requests_servicerequest s CROSS JOIN generate_series(1, %s) k",
                [author.pk, bodies, len(bodies), RESPONSES_PER_REQUEST],
            )
            cursor.execute(
                "INSERT INTO quality_phrasestat (language, key_hash, case_count, case_hashes, "
                "first_seen_at, last_seen_at) "
                "SELECT CASE WHEN g %% 2 = 0 THEN 'en' ELSE 'es' END, "
                "('x' || substr(md5(g::text), 1, 16))::bit(64)::bigint, 1 + g %% 30, '[]', "
                "now(), now() FROM generate_series(1, %s) g ON CONFLICT DO NOTHING",
                [OTHER_PHRASES],
            )
        # The bodies, as sent to many cases: their boilerplate becomes common phrases.
        for number, (body, language) in enumerate(zip(bodies, languages, strict=True)):
            for case in range(phrases.common_cases()):
                phrases.record_sent(body, language, f"bench:{(number * 31 + case) % 997}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_percentile(values, 0.5), 2),
        "p99_ms": round(_percentile(values, 0.99), 2),
        "max_ms": round(max(values), 2),
    }


def measure(samples: int) -> dict[str, Any]:
    _setup()
    import random

    from django.conf import settings
    from django.db import connection

    from srmt.quality import engine
    from srmt.quality.evaluation import load
    from srmt.quality.types import AssessmentContext
    from srmt.service_requests import assessment
    from srmt.service_requests.models import ServiceRequest

    rng = random.Random(10)
    items = load()
    last = ServiceRequest.objects.order_by("-id").values_list("id", flat=True)[0]
    ids = [rng.randrange(1, last + 1) for _ in range(samples)]
    requests = {
        sr.pk: sr
        for sr in ServiceRequest.objects.filter(pk__in=ids).select_related(
            "type", "office", "case", "case__form_type", "case__office", "requester"
        )
    }
    chosen = [(requests[i], rng.choice(items).body) for i in ids if i in requests]
    threshold = settings.SRMT_NEW_INFORMATION_THRESHOLD
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    for sr, body in chosen[:20]:  # warm-up: connections, caches, the template index
        assessment.assess_response(sr, body)

    full: list[float] = []
    queries: list[float] = []
    alone: list[float] = []
    priors: list[int] = []
    for sr, body in chosen:
        started = time.perf_counter()
        assessment.assess_response(sr, body)
        full.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        language = assessment.language_of(sr)
        assessment.template_bodies(sr, language, None)
        priors.append(len(assessment.prior_responses(sr)))
        assessment.case_record(sr, language)
        queries.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        engine.assess(body, AssessmentContext(language=language), threshold=threshold)
        alone.append((time.perf_counter() - started) * 1000)
    return {
        "samples": len(chosen),
        "assess_response": _summary(full),
        "baseline_engine_empty_context": _summary(alone),
        "context_queries_only": _summary(queries),
        "earlier_responses_compared_mean": round(sum(priors) / len(priors), 1),
    }


def accuracy() -> dict[str, Any]:
    _setup()
    from django.conf import settings

    from srmt.quality.evaluation import HANDWRITTEN, evaluate, load

    items = load()
    threshold = settings.SRMT_NEW_INFORMATION_THRESHOLD
    scores, mistakes = evaluate(items, threshold=threshold)
    handwritten, _ = evaluate(load(HANDWRITTEN), threshold=threshold)
    return {
        "handwritten": {
            language: {
                "items": s.items,
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
            }
            for language, s in handwritten.items()
        },
        "threshold": settings.SRMT_NEW_INFORMATION_THRESHOLD,
        "items": len(items),
        "hard_share": round(sum(item.hard for item in items) / len(items), 3),
        "per_language": {
            language: {
                "items": score.items,
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
                "false_positives": score.false_positives,
                "false_negatives": score.false_negatives,
            }
            for language, score in scores.items()
        },
        "mistakes": [item.id for item, _ in mistakes],
    }


def _table(results: dict[str, Any]) -> str:
    lines = ["| language | items | precision | recall |", "|---|---|---|---|"]
    for language, score in results["accuracy"]["per_language"].items():
        lines.append(
            f"| {language} | {score['items']} | {score['precision']:.3f} | {score['recall']:.3f} |"
        )
    for language, score in results["accuracy"]["handwritten"].items():
        lines.append(
            f"| {language} (hand-written) | {score['items']} | {score['precision']:.3f} "
            f"| {score['recall']:.3f} |"
        )
    latency = results["latency"]
    lines += ["", "| measured | p50 ms | p99 ms |", "|---|---|---|"]
    for key in ("assess_response", "context_queries_only", "baseline_engine_empty_context"):
        lines.append(f"| {key} | {latency[key]['p50_ms']} | {latency[key]['p99_ms']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="srmt_bench_quality")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--accuracy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill()
        return 0
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    if args.accuracy:
        print(json.dumps(accuracy()))
        return 0
    db = Database(args.database)
    results: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    results["accuracy"] = json.loads(db.run(__file__, "--accuracy").splitlines()[-1])
    results["build"] = build(db)
    results["templates"] = db.sql("SELECT count(*) FROM response_templates_templateversion")[0]
    results["responses"] = db.sql("SELECT count(*) FROM service_requests_response")[0]
    results["phrases"] = db.sql("SELECT count(*) FROM quality_phrasestat")[0]
    measured = db.run(__file__, "--measure", str(args.samples))
    results["latency"] = json.loads(measured.splitlines()[-1])
    out_file = ROOT / "var" / "bench" / f"quality-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in results.items() if k != "latency"}))
    print(_table(results))
    print(f"Results: {out_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
