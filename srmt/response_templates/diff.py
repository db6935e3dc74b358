"""The difference between two wordings of a template, word by word: pure."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

TOKENS = re.compile(r"\{\{[^{}]*\}\}|\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: Literal["same", "added", "removed"]
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """`old` to `new` as runs of unchanged, removed and added text (whitespace kept)."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments
