"""A scratch PostgreSQL database for the benchmarks (bench/search.py, bench/quality.py): kept
between runs, migrated and filled by the project's own commands run against it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


class Database:
    def __init__(self, name: str) -> None:
        self.name = name
        self.url = f"{PG_SERVER}/{name}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            "PYTHONPATH": str(ROOT),
        }

    def run(self, *argv: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), *argv],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=7200, check=False,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def exists(self) -> bool:
        with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return row.fetchone() is not None

    def sql(self, statement: str, params: Any = None) -> Any:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchone() if cursor.description else cursor.rowcount
