"""The realistic workload mix shared by `srmt demo` and `srmt generate`.

Forms per receipt prefix and case statuses per form come from real USCIS counts
(data/workload_mix.json); request types and channels are weighted by how often staff see them.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from srmt.offices.constants import PREFIX_OFFICES
from srmt.service_requests.choices import Channel

DATA = Path(__file__).resolve().parent / "data"
T = TypeVar("T")

# Request type code -> relative weight (general inquiries and processing-time questions lead).
TYPE_WEIGHTS: dict[str, int] = {
    "outside_normal_processing_time": 30,
    "general_case_inquiry": 18,
    "notice_not_received": 14,
    "typographic_error": 8,
    "change_of_address": 8,
    "expedite_request": 6,
    "tier2_callback": 5,
    "biometrics_reschedule": 3,
    "appointment_request": 2,
    "accommodation_request": 2,
    "premium_processing_inquiry": 2,
    "complaint": 1,
    "military_inquiry": 1,
}
CHANNEL_WEIGHTS: dict[str, int] = {
    Channel.PHONE_TIER1: 45,
    Channel.ONLINE: 22,
    Channel.PHONE_TIER2: 12,
    Channel.VIRTUAL_ASSISTANT: 8,
    Channel.SECURE_MESSAGE: 5,
    Channel.EMAIL: 3,
    Channel.MAIL: 2,
    Channel.MILITARY_LINE: 1,
    Channel.PREMIUM_PROCESSING_LINE: 1,
    Channel.IN_PERSON: 1,
}
FIRST_NAMES = (
    "Ana", "Luis", "María", "José", "Wei", "Priya", "Mohammed", "Olga", "Kwame", "Sofia",
    "Daniel", "Fatima", "Carlos", "Nguyen", "Aisha", "Ivan", "Grace", "Omar", "Lucía", "Raj",
)  # fmt: skip
LAST_NAMES = (
    "Pérez", "García", "Smith", "Chen", "Patel", "Hassan", "Ivanova", "Mensah", "Rossi",
    "Nguyen", "Kim", "Okafor", "Silva", "Kowalski", "Haddad", "Müller", "Santos", "Ali",
)  # fmt: skip
PROTECTED_FORMS = ("I-360", "I-914", "I-918")
DESCRIPTIONS = {
    "outside_normal_processing_time": "The case{about} is past the posted processing time.",
    "notice_not_received": "The customer never received the notice or card{about}.",
    "typographic_error": "The notice{about} misspells the customer's name.",
    "change_of_address": "The customer moved and gives a new mailing address{about}.",
    "expedite_request": "The customer asks to expedite{about}: a job offer depends on it.",
    "tier2_callback": "The customer asked for a call back from Tier 2{about}.",
    "general_case_inquiry": "The customer asks what the latest status{about} means.",
}


@dataclass(frozen=True)
class WorkloadMix:
    prefixes: tuple[str, ...]
    prefix_weights: tuple[int, ...]  # cumulative, like the weights below
    forms_by_prefix: dict[str, tuple[tuple[str, ...], tuple[int, ...]]]
    statuses_by_form: dict[str, tuple[tuple[str, ...], tuple[int, ...]]]

    def prefix(self, rng: random.Random) -> str:
        return pick(rng, self.prefixes, self.prefix_weights)

    def form(self, rng: random.Random, prefix: str) -> str:
        forms, weights = self.forms_by_prefix[prefix]
        return pick(rng, forms, weights)

    def status_text(self, rng: random.Random, form: str) -> str:
        if form not in self.statuses_by_form:
            return "Case Was Received"
        texts, weights = self.statuses_by_form[form]
        return pick(rng, texts, weights)[:200]


def _split(counts: dict[str, int]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Keys and cumulative weights (rng.choices is faster with cum_weights)."""
    keys = tuple(sorted(counts))
    return keys, tuple(itertools.accumulate(counts[k] for k in keys))


@functools.cache
def workload_mix(without_forms: frozenset[str] = frozenset()) -> WorkloadMix:
    """The real mix; `without_forms` leaves those forms out and weighs each prefix by the
    cases of the forms left, so that it is the real mix of cases on any other form."""
    raw = json.loads((DATA / "workload_mix.json").read_text(encoding="utf-8"))
    forms = {
        prefix: _split({form: n for form, n in counts.items() if form not in without_forms})
        for prefix, counts in raw["forms_by_prefix"].items()
        if prefix in PREFIX_OFFICES and set(counts) - without_forms
    }
    prefixes = tuple(sorted(forms))
    return WorkloadMix(
        prefixes=prefixes,
        prefix_weights=tuple(itertools.accumulate(forms[p][1][-1] for p in prefixes)),
        forms_by_prefix=forms,
        statuses_by_form={f: _split(c) for f, c in raw["statuses_by_form"].items()},
    )


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys: Sequence[str] = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def pick(rng: random.Random, keys: Sequence[T], cumulative: Sequence[int]) -> T:
    """rng.choices(keys, cum_weights=cumulative)[0] without its overhead: the same draw (one
    random() call, the same bisection), so the same result."""
    return keys[bisect.bisect(cumulative, rng.random() * (cumulative[-1] + 0.0), 0, len(keys) - 1)]


def chooser(weights: dict[str, int]) -> Callable[[random.Random], str]:
    """A fast weighted choice over fixed weights."""
    keys = list(weights)
    cumulative = list(itertools.accumulate(weights.values()))
    return lambda rng: pick(rng, keys, cumulative)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_for(name: str, serial: int) -> str:
    """An address that matches the name: "María Pérez" -> maria.perez.12@example.com (accents
    folded to their letters, not dropped, so that the address still spells the name)."""
    return f"{_email_local(name)}.{serial}@example.com"


@functools.lru_cache(maxsize=4096)
def _email_local(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower())
    local = "".join(c for c in folded if (c.isascii() and c.isalpha()) or c == " ")
    return ".".join(local.split())


def phone_for(rng: random.Random) -> str:
    # 555-0100 to 555-0199 are reserved for fiction in the North American plan.
    return f"+1{rng.choice(('802', '202', '305', '512', '415'))}5550{rng.randint(100, 199)}"


def describe(request_type: str, receipt_number: str) -> str:
    about = f" about {receipt_number}" if receipt_number else ""
    return DESCRIPTIONS.get(request_type, "The customer asks for help{about}.").format(about=about)
