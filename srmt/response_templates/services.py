"""The one write path of the template library: create, new version, deactivate, reactivate.

Each checks who may write (access.can_manage), validates, writes and audits in one
transaction. A version is never changed: a new wording is a new version (docs/adr/0033).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.offices.models import Office
from srmt.response_templates import access
from srmt.response_templates.errors import InvalidTemplate, TemplateCodeTaken, UnknownVariable
from srmt.response_templates.models import (
    TEMPLATE_BODY_LENGTH,
    ResponseTemplate,
    TemplateVersion,
)
from srmt.response_templates.queries import latest_version
from srmt.response_templates.variables import unknown_variables

# The response kinds a template may be made for (service_requests.ResponseKind's codes; the
# templates sit below the service requests and keep the codes only).
RESPONSE_KINDS: tuple[str, ...] = ("initial", "follow_up", "final")
CODE_LENGTH = 64
NAME_LENGTH = 200
NOTE_LENGTH = 200


@dataclass(frozen=True)
class Wording:
    """A version's text in both languages, and why it changed."""

    body_en: str
    body_es: str
    change_note: str = ""


def _require_manage(actor: User, office: Office | None) -> None:
    if not access.can_manage(actor, office):
        if office is None:
            raise PermissionDenied(
                _("Only national supervisors and administrators may write national templates.")
            )
        raise PermissionDenied(_("You may not write this office's templates."))


def _body(value: str, *, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidTemplate(_("Enter the template's text."), field=field)
    if len(text) > TEMPLATE_BODY_LENGTH:
        raise InvalidTemplate(
            _("Use at most %(max)d characters (this has %(count)d).")
            % {"max": TEMPLATE_BODY_LENGTH, "count": len(text)},
            field=field,
        )
    unknown = unknown_variables(text)
    if unknown:
        raise UnknownVariable(
            _("Unknown variable: %(names)s. Use only the variables in the list.")
            % {"names": ", ".join(unknown)},
            field=field,
            variables=unknown,
        )
    return text


def _clean_wording(wording: Wording) -> Wording:
    note = (wording.change_note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidTemplate(
            _("Use at most %(max)d characters.") % {"max": NOTE_LENGTH}, field="change_note"
        )
    return Wording(
        body_en=_body(wording.body_en, field="body_en"),
        body_es=_body(wording.body_es, field="body_es"),
        change_note=note,
    )


def _check_purpose(request_type: str, response_kind: str) -> None:
    # Request types live in the service requests (above this app): looked up by name.
    request_types = apps.get_model("service_requests", "ServiceRequestType")
    if request_type and not request_types.objects.filter(code=request_type).exists():
        raise InvalidTemplate(
            _("Unknown request type: %(code)s.") % {"code": request_type}, field="request_type"
        )
    if response_kind and response_kind not in RESPONSE_KINDS:
        raise InvalidTemplate(
            _("A template is for an initial, follow_up or final response, or any."),
            field="response_kind",
        )


@transaction.atomic
def create_template(
    *,
    actor: User,
    code: str,
    name: str,
    office: Office | None,
    request_type: str = "",
    response_kind: str = "",
    wording: Wording,
) -> ResponseTemplate:
    """A new template with its first version."""
    _require_manage(actor, office)
    code = (code or "").strip().lower()
    if not code or len(code) > CODE_LENGTH or not _is_slug(code):
        raise InvalidTemplate(
            _("A code uses lower-case letters, digits and hyphens (at most 64)."), field="code"
        )
    name = (name or "").strip()
    if not name or len(name) > NAME_LENGTH:
        raise InvalidTemplate(_("Enter a name of at most 200 characters."), field="name")
    _check_purpose(request_type, response_kind)
    wording = _clean_wording(wording)
    if ResponseTemplate.objects.filter(code=code).exists():
        raise TemplateCodeTaken(_("Another template has this code."), field="code")
    try:
        with transaction.atomic():
            template = ResponseTemplate.objects.create(
                code=code,
                name=name,
                office=office,
                request_type=request_type,
                response_kind=response_kind,
                created_by=actor,
            )
    except IntegrityError as exc:  # a concurrent create took the code
        raise TemplateCodeTaken(_("Another template has this code."), field="code") from exc
    version = _write_version(template, actor=actor, number=1, wording=wording)
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_CREATED,
        object_type="response_template",
        object_id=template.code,
        changes={
            "office": office.code if office else None,
            "request_type": request_type,
            "response_kind": response_kind,
            "version": version.version,
        },
    )
    return template


def _is_slug(code: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_") for c in code) and code[0].isalnum()


def _write_version(
    template: ResponseTemplate, *, actor: User, number: int, wording: Wording
) -> TemplateVersion:
    return TemplateVersion.objects.create(
        template=template,
        version=number,
        body_en=wording.body_en,
        body_es=wording.body_es,
        change_note=wording.change_note,
        created_by=actor,
    )


def _locked(template: ResponseTemplate) -> ResponseTemplate:
    # of=("self",): the office is a nullable join (national templates), which PostgreSQL
    # will not lock; only the template's row needs locking.
    locked = ResponseTemplate.objects.select_for_update(of=("self",)).select_related("office")
    return locked.get(pk=template.pk)


@transaction.atomic
def add_version(template: ResponseTemplate, *, actor: User, wording: Wording) -> TemplateVersion:
    """A new wording of `template`; earlier versions (and what was sent from them) stay."""
    template = _locked(template)
    _require_manage(actor, template.office)
    if not template.is_active:
        raise InvalidTemplate(_("This template is inactive. Reactivate it to change it."))
    wording = _clean_wording(wording)
    if not wording.change_note:
        raise InvalidTemplate(_("Say what changed and why."), field="change_note")
    current = latest_version(template)
    if (current.body_en, current.body_es) == (wording.body_en, wording.body_es):
        raise InvalidTemplate(_("The text is the same as the current version."), field="body_en")
    version = _write_version(template, actor=actor, number=current.version + 1, wording=wording)
    template.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_VERSION_ADDED,
        object_type="response_template",
        object_id=template.code,
        changes={"version": [current.version, version.version], "note": wording.change_note},
    )
    return version


@transaction.atomic
def set_active(template: ResponseTemplate, *, actor: User, active: bool) -> ResponseTemplate:
    """Deactivate (no longer offered; its versions and what was sent stay) or reactivate."""
    template = _locked(template)
    _require_manage(actor, template.office)
    if template.is_active == active:
        return template
    template.is_active = active
    template.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_REACTIVATED if active else AuditAction.TEMPLATE_DEACTIVATED,
        object_type="response_template",
        object_id=template.code,
        changes={"is_active": [not active, active]},
    )
    return template
