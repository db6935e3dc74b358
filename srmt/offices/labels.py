"""How offices are named in pickers and lists: two offices may share a name (the Portland
field offices of Maine and Oregon), so a shared name is told apart by its city and state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from srmt.offices.models import Office


def office_label(office: Office, *, shared_names: frozenset[str] = frozenset()) -> str:
    """`office`'s name, with "(City, ST)" when another office bears the same name."""
    if office.name not in shared_names:
        return office.name
    place = ", ".join(part for part in (office.city, office.state) if part)
    return f"{office.name} ({place or office.code})"


def shared_names(offices: Iterable[Office]) -> frozenset[str]:
    """The names borne by more than one of `offices`."""
    counts = Counter(office.name for office in offices)
    return frozenset(name for name, count in counts.items() if count > 1)


def office_choices(offices: Iterable[Office]) -> list[tuple[str, str]]:
    """(code, label) pairs for a picker, shared names told apart."""
    offices = list(offices)
    shared = shared_names(offices)
    return [(office.code, office_label(office, shared_names=shared)) for office in offices]
