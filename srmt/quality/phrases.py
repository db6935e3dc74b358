"""The common-phrase index: record the sentences of a sent response; look up which are common.

A sentence is a *common phrase* once responses to at least SRMT_COMMON_PHRASE_CASES different
cases (or requests without a case) said it: boilerplate, whatever the words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from srmt.quality.models import PhraseStat
from srmt.quality.text import sentence_key, split_sentences


def key_hash(key: str) -> int:
    """A sentence key's 64-bit hash (signed, as PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def _case_hash(case_key: str) -> int:
    return int.from_bytes(hashlib.sha256(case_key.encode()).digest()[:6], "big")


def _keys(body: str, language: str) -> set[str]:
    keys = {sentence_key(sentence, language) for sentence in split_sentences(body, language)}
    keys.discard("")
    return keys


def common_cases() -> int:
    return int(settings.SRMT_COMMON_PHRASE_CASES)


@transaction.atomic
def record_sent(body: str, language: str, case_key: str) -> None:
    """Count `body`'s sentences as said to `case_key` (once per case, up to the bound)."""
    language = "es" if language == "es" else "en"
    hashes = sorted({key_hash(key) for key in _keys(body, language)})
    if not hashes:
        return
    bound = common_cases()
    case = _case_hash(case_key)
    existing = {
        stat.key_hash: stat
        for stat in PhraseStat.objects.select_for_update()
        .filter(language=language, key_hash__in=hashes)
        .order_by("key_hash")
    }
    changed: list[PhraseStat] = []
    now = timezone.now()
    for value in hashes:
        stat = existing.get(value)
        if stat is None:
            continue
        if stat.case_count >= bound or case in stat.case_hashes:
            continue
        stat.case_hashes = [*stat.case_hashes, case]
        stat.case_count = len(stat.case_hashes)
        stat.last_seen_at = now
        changed.append(stat)
    if changed:
        PhraseStat.objects.bulk_update(changed, ["case_hashes", "case_count", "last_seen_at"])
    missing = [value for value in hashes if value not in existing]
    if missing:
        PhraseStat.objects.bulk_create(
            [
                PhraseStat(language=language, key_hash=value, case_count=1, case_hashes=[case])
                for value in missing
            ],
            ignore_conflicts=True,
        )


def common_keys(keys: Iterable[str], language: str) -> frozenset[str]:
    """Which of these sentence keys are common phrases (one indexed query)."""
    by_hash = {key_hash(key): key for key in keys if key}
    if not by_hash:
        return frozenset()
    found = PhraseStat.objects.filter(
        language="es" if language == "es" else "en",
        key_hash__in=list(by_hash),
        case_count__gte=common_cases(),
    ).values_list("key_hash", flat=True)
    return frozenset(by_hash[value] for value in found)
