"""The templates the new-information check compares a response with: the latest wording of
every active template, from this process's snapshot (core.snapshots; dropped when a template
or a version is saved here, reloaded elsewhere after SRMT_CONFIG_SNAPSHOT_SECONDS)."""

from __future__ import annotations

from dataclasses import dataclass

from srmt.core.snapshots import snapshot
from srmt.response_templates.models import TemplateVersion

SNAPSHOT = "quality:templates"


@dataclass(frozen=True)
class ActiveTemplate:
    code: str
    office_id: int | None  # None: national
    request_type: str  # blank: every type
    version: int
    body_en: str
    body_es: str

    def body(self, language: str) -> str:
        return self.body_es if language == "es" else self.body_en

    def offered(self, *, office_id: int | None, request_type: str) -> bool:
        """Whether a writer at `office_id` answering a `request_type` request is offered it."""
        return self.office_id in (None, office_id) and self.request_type in ("", request_type)


def _load() -> tuple[ActiveTemplate, ...]:
    latest: dict[str, ActiveTemplate] = {}
    rows = TemplateVersion.objects.filter(template__is_active=True).values_list(
        "template__code", "template__office_id", "template__request_type", "version",
        "body_en", "body_es",
    )  # fmt: skip
    for code, office_id, request_type, version, body_en, body_es in rows:
        if code not in latest or latest[code].version < version:
            latest[code] = ActiveTemplate(code, office_id, request_type, version, body_en, body_es)
    return tuple(latest[code] for code in sorted(latest))


def active_templates() -> tuple[ActiveTemplate, ...]:
    """The latest version of every active template, by code."""
    return snapshot(SNAPSHOT, _load)


def latest_body(code: str, language: str) -> str | None:
    """The latest wording of template `code`, active or not (None: no such template)."""
    field = "body_es" if language == "es" else "body_en"
    body: str | None = (
        TemplateVersion.objects.filter(template__code=code)
        .order_by("-version")
        .values_list(field, flat=True)
        .first()
    )
    return body
