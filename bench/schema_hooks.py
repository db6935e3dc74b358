"""Schemathesis hooks for bench/probe_schema.py (loaded through SCHEMATHESIS_HOOKS).

As in srmt/api/tests/test_schemathesis.py, a generated path parameter of even length is
swapped for a real object of the probe's database (SRMT_PROBE_OBJECTS, JSON), so that
operations are exercised beyond their 404s half of the time; the expedite and attachment
operations get the expedite request.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis

OBJECTS: dict[str, Any] = json.loads(os.environ.get("SRMT_PROBE_OBJECTS", "{}"))


@schemathesis.hook
def before_call(ctx: Any, case: schemathesis.Case, **kwargs: Any) -> None:
    parameters = case.path_parameters
    if not parameters or not OBJECTS:
        return
    real = {
        "reference": OBJECTS["reference"],
        "receipt_number": OBJECTS["receipt_number"],
        "attachment_id": OBJECTS["attachment_id"],
    }
    if "attachment_id" in parameters or "/expedite" in case.operation.path:
        real["reference"] = OBJECTS["expedite"]  # an expedite request, with its attachment
    for name, value in list(parameters.items()):
        if name in real and len(str(value)) % 2 == 0:
            parameters[name] = real[name]
