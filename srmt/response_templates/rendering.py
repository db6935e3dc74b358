"""Filling a template: pure (a body and a mapping of values in, text out).

A variable with a value is replaced by it. One without (missing from the mapping, or blank)
is left as its placeholder and named in `missing`: never a blank in a letter. The writer
sees which ones are missing and writes them; a response whose text still holds a placeholder
is refused (service_requests.services.responses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from srmt.response_templates.variables import LOOSE_PLACEHOLDER, PLACEHOLDER


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # variables with no value, left as `{{ name }}`, in order

    @property
    def complete(self) -> bool:
        return not self.missing


def render(body: str, values: Mapping[str, str]) -> Rendered:
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = (values.get(name) or "").strip()
        if value:
            return value
        if name not in missing:
            missing.append(name)
        return f"{{{{ {name} }}}}"

    return Rendered(text=PLACEHOLDER.sub(fill, body), missing=tuple(missing))


def unfilled(text: str) -> list[str]:
    """The placeholders still in `text` (as written by the writer or left by render)."""
    return list(dict.fromkeys(LOOSE_PLACEHOLDER.findall(text)))
