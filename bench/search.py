"""Search benchmark: the search box on a million requests in PostgreSQL.

    .venv/bin/python bench/search.py [--database NAME] [--repeats N]   (or `make bench-search`)

1. A PostgreSQL database with 1,000,000 requests: `srmt generate` (COPY) into the database
   NAME (default srmt_bench_search), reused when it is already there (it is kept: building
   it takes about four minutes). The generator's data are made less repetitive once, before
   the search indexes exist: a second surname on every person (360 names become 6,480), a
   phone number of their own for those who have one, and a sentence naming two of 120 topic
   words in English or Spanish at the end of every description.
2. With the search indexes (migration search.0001): typical searches through
   `srmt.search.queries.search()`, the code path of the page less its rendering, as a
   supervisor (every office, not cleared for 1367) and as office staff at the Nebraska
   Service Center: a reference, a receipt number typed with dashes, an email address, a
   phone number typed with punctuation, a name with a typo, two description words, and a
   word in 8% of the descriptions. p50/p95 in ms over --repeats runs after two warm-ups, and
   the indexes each search's statements use (EXPLAIN).
3. Baseline, same run: the search indexes dropped (migrate search zero), the same searches
   three times each; then the indexes are created again, timed.

Results go to var/bench/search-<timestamp>.json and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from typing import Any

import psycopg
from pgdb import PG_SERVER, ROOT, Database  # bench/ is the script's directory

REQUESTS = 1_000_000
_TOPIC_WORDS = (
    "passport wedding surgery hospital employer deployment fingerprints biometrics interview "
    "daughter son husband wife mother father lawyer notary embassy consulate visa travel "
    "pregnancy scholarship university school tuition salary layoff eviction mortgage flood "
    "hurricane wildfire earthquake cancer chemotherapy dialysis transplant funeral burial "
    "military veteran navy army marines adoption orphanage custody divorce marriage "
    "translation transcript birth certificate license social security medicaid tax refund "
    "pasaporte boda cirugía hospital empleador despliegue huellas entrevista hija hijo "
    "esposo esposa madre padre abogado notario embajada consulado viaje embarazo beca "
    "universidad escuela matrícula salario despido desalojo hipoteca inundación huracán "
    "incendio terremoto quimioterapia diálisis trasplante funeral entierro militar veterano "
    "adopción custodia divorcio matrimonio traducción nacimiento certificado licencia seguro "
    "impuestos reembolso beneficio permiso trabajo"
)
TOPICS = _TOPIC_WORDS.split()


def build(db: Database) -> dict[str, Any]:
    """Create, migrate, seed and generate 1M requests (COPY), unless the database exists."""
    if db.exists() and db.sql("SELECT to_regclass('service_requests_servicerequest')")[0]:
        count = db.sql("SELECT count(*) FROM service_requests_servicerequest")[0]
        if count >= REQUESTS:
            return {"reused": True, "requests": count}
    started = time.perf_counter()
    if not db.exists():
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db.name}"')
    db.run("-m", "srmt", "migrate", "--verbosity", "0")
    db.run("-m", "srmt", "seed")
    db.run("-m", "srmt", "generate", "--requests", str(REQUESTS), "--seed", "7", "--months", "12",
           "--end", "2026-11-20", "-v", "0")  # fmt: skip
    return {"reused": False, "build_seconds": round(time.perf_counter() - started, 1)}


def enrich(db: Database) -> dict[str, Any]:
    """Once per database: fewer repeated names, phones and descriptions (see the docstring)."""
    if db.sql("SELECT to_regclass('bench_search_enriched')")[0]:
        return {"enriched_before": True}
    from srmt.seed.mix import LAST_NAMES  # only the list of names: no Django needed

    started = time.perf_counter()
    db.run("manage.py", "migrate", "search", "zero", "--verbosity", "0")
    db.sql(
        "UPDATE cases_person SET name = name || ' ' || (%s::text[])[1 + (id * 7919) %% %s], "
        "phone = CASE WHEN phone = '' THEN '' ELSE '+1' || (ARRAY['802','202','305','512',"
        "'415'])[1 + id %% 5] || (2000000 + (id * 104729) %% 7999999)::text END",
        [list(LAST_NAMES), len(LAST_NAMES)],
    )
    n = len(TOPICS)
    db.sql(
        "UPDATE service_requests_servicerequest SET description = description || "
        "' Mentions ' || (%s::text[])[1 + (id * 31) %% %s] || ' and ' || "
        "(%s::text[])[1 + ((id / %s) * 17 + id) %% %s] || '.'",
        [TOPICS, n, TOPICS, n, n - 7],
    )
    db.sql("CREATE TABLE bench_search_enriched (at timestamptz DEFAULT now())")
    db.sql("VACUUM ANALYZE")
    return {"enrich_seconds": round(time.perf_counter() - started, 1)}


# --- in process (a child with DATABASE_URL set) --------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _queries() -> dict[str, str]:
    """Typical searches, about requests held by the Nebraska Service Center (NSC)."""
    from srmt.core.contacts import to_e164
    from srmt.service_requests.models import ServiceRequest

    held = ServiceRequest.objects.filter(office__code="NSC").select_related("requester")
    sr = (
        held.exclude(receipt_number="")
        .exclude(requester__email="")
        .exclude(requester__phone="")
        .order_by("-id")[100]
    )
    phone = sr.requester.phone  # +1AAANNNNNNN
    assert to_e164(phone) == phone
    first, last, second = sr.requester.name.split(" ", 2)
    typo = f"{first} {last[0]}{last[2]}{last[1]}{last[3:]} {second}"  # two letters swapped
    words = re.findall(r"Mentions (\w+) and (\w+)\.", sr.description)[0]
    receipt = sr.receipt_number
    return {
        "reference": sr.reference,
        "receipt number": f"{receipt[:3].lower()}-{receipt[3:]}",
        "email": sr.requester.email.upper(),
        "phone": f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
        "name with a typo": typo,
        "two description words": " ".join(words),
        "a word in 8% of descriptions": "address",
    }


def _indexes_used(sqls: list[tuple[str, Any]]) -> list[str]:
    from django.db import connection

    used: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Index Name" in node:
            used.add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        for sql, params in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            walk((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
    return sorted(used)


def measure(repeats: int, queries_json: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from srmt.accounts.choices import Role
    from srmt.accounts.models import User
    from srmt.offices.models import Office
    from srmt.search import queries as search

    supervisor, _ = User.objects.get_or_create(
        username="bench_supervisor", defaults={"role": Role.SUPERVISOR}
    )
    office, _ = User.objects.get_or_create(
        username="bench_office_nsc", defaults={"role": Role.OFFICE_STAFF}
    )
    office.offices.set(Office.objects.filter(code="NSC"))
    wanted = json.loads(queries_json) if queries_json else _queries()
    results: dict[str, Any] = {"queries": wanted, "timings": {}}
    for label, q in wanted.items():
        for who, user in (("supervisor", supervisor), ("office (NSC)", office)):
            for _warm in range(2):
                search.search(user, q)
            spent = []
            for _run in range(repeats):
                started = time.perf_counter()
                found = search.search(user, q)
                spent.append((time.perf_counter() - started) * 1000)
            statements: list[tuple[str, Any]] = []

            def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                statements.append((sql, params))  # noqa: B023 (used at once, in this loop)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(capture):
                search.search(user, q)
            results["timings"][f"{label} | {who}"] = {
                "hits": len(found.hits),
                "p50_ms": round(_percentile(spent, 0.5), 1),
                "p95_ms": round(_percentile(spent, 0.95), 1),
                "indexes": _indexes_used(statements),
            }
            print(label, who, results["timings"][f"{label} | {who}"], file=sys.stderr, flush=True)
    return results


def _table(indexed: dict[str, Any], baseline: dict[str, Any]) -> str:
    lines = [
        "| search | as | hits | p50 ms | p95 ms | baseline p50 ms (no search indexes) | "
        "indexes used |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for key, row in indexed["timings"].items():
        label, who = key.split(" | ")
        base = baseline["timings"].get(key, {})
        lines.append(
            f"| {label} (`{indexed['queries'][label]}`) | {who} | {row['hits']} | "
            f"{row['p50_ms']} | {row['p95_ms']} | {base.get('p50_ms', '—')} | "
            f"{', '.join(row['indexes'])} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="srmt_bench_search")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--queries", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries)))
        return 0
    db = Database(args.database)
    results: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    results["build"] = build(db)
    results["enrich"] = enrich(db)
    started = time.perf_counter()
    db.run("manage.py", "migrate", "search", "--verbosity", "0")
    results["index_build_seconds"] = round(time.perf_counter() - started, 1)
    db.sql("ANALYZE")
    results["requests"] = db.sql("SELECT count(*) FROM service_requests_servicerequest")[0]
    results["people"] = db.sql("SELECT count(*) FROM cases_person")[0]
    indexed = json.loads(db.run(__file__, "--measure", str(args.repeats)).splitlines()[-1])
    results["indexed"] = indexed
    baseline: dict[str, Any] = {"timings": {}}
    if not args.skip_baseline:
        db.run("manage.py", "migrate", "search", "zero", "--verbosity", "0")
        try:
            out = db.run(__file__, "--measure", "3", "--queries", json.dumps(indexed["queries"]))
            baseline = json.loads(out.splitlines()[-1])
        finally:
            started = time.perf_counter()
            db.run("manage.py", "migrate", "search", "--verbosity", "0")
            results["index_rebuild_seconds"] = round(time.perf_counter() - started, 1)
    results["baseline"] = baseline
    out_file = ROOT / "var" / "bench" / f"search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in results.items() if k not in ("indexed", "baseline")}))
    print(_table(indexed, baseline))
    print(f"Results: {out_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
