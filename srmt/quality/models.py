"""The common-phrase index of the new-information check (docs/adr/0034).

One row per sentence key (engine.sentence_key, hashed) and language: in how many different
cases' responses it was sent, counted up to SRMT_COMMON_PHRASE_CASES and no further (the few
case hashes kept to count distinct cases stop there too), so the table stays small and every
lookup is one index probe, however many responses were sent.
"""

from __future__ import annotations

from django.db import models


class PhraseStat(models.Model):
    """One sentence key of sent responses, and how many different cases it was sent to."""

    language = models.CharField(max_length=2)
    # The first 8 bytes of sha256(sentence key), as a signed 64-bit integer.
    key_hash = models.BigIntegerField()
    # Distinct cases whose responses said it, counted up to SRMT_COMMON_PHRASE_CASES.
    case_count = models.PositiveIntegerField(default=0)
    # Hashes of those cases (at most SRMT_COMMON_PHRASE_CASES of them), to count each once.
    case_hashes = models.JSONField(default=list)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "key_hash"], name="phrase_stat_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.key_hash} in {self.case_count} cases"
