"""Audit action names are one enumeration: unique, unchanged, and the only thing record takes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

from srmt.audit import actions
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction, UnknownAuditAction
from srmt.audit.admin_mixins import AuditedAdminMixin
from srmt.audit.models import AuditEvent

SRMT = Path(__file__).resolve().parents[2]

# The stored values before the enumeration, grouped as the call sites wrote them: rows
# already in the log keep their meaning only if these stay exactly the same.
STORED_BEFORE = {
    "metrics.exported",
    "survey.sent",
    "survey.answered",
    "qa.sample_drawn",
    "qa.assigned",
    "qa.evaluated",
    "qa.disputed",
    "qa.dispute_decided",
    "qa_evaluation.listed",
    "service_request.created",
    "service_request.responded",
    "service_request.noted",
    "service_request.transitioned",
    "service_request.assigned",
    "service_request.updated",
    "service_request.viewed",
    "service_request.listed",
    "service_request.redirected",
    "service_request.repeat_recorded",
    "service_request.address_change_applied",
    "service_request.attachment_added",
    "service_request.attachment_viewed",
    "service_requests.swept",
    "expedite.requested",
    "expedite.decided",
    "referral.created",
    "case.created",
    "case.updated",
    "case.protection_removed",
    "case.viewed",
    "case.listed",
    "case.looked_up",
    "person.viewed",
    "person.listed",
    "api_token.created",
    "api_token.revoked",
    "user.signed_in",
    "user.signed_out",
    "user.sign_in_failed",
    "user.locked_out",
    "notification.stalled_recovered",
    "notification.held",
    "notification.released",
    # supervisory review (ADR 35)
    "notification.body_replaced",
    "response.held_for_review",
    "response_review.approved",
    "response_review.returned",
    "response_review.resubmitted",
    "reference.loaded",
    "data.generated",
    # Accounts outside the agency, their links and Forms G-28 (ADR 27), written as strings
    # by the branch that added them, before the enumeration reached them.
    "user.created",
    "customer_link.created",
    "customer_link.ended",
    "representation.recorded",
    "representation.withdrawn",
    # The staff workspace (docs/adr/0031).
    "service_requests.exported",
    "queue_view.saved",
    "queue_view.renamed",
    "queue_view.deleted",
    "staff_notifications.read",
    "staff_notification_preference.changed",
    # Intake keeps what the caller said (issue 9, ADR 28).
    "person.updated",
    "case.address_changed",
    # Response templates (issue 10, ADR 33).
    "response_template.created",
    "response_template.version_added",
    "response_template.deactivated",
    "response_template.reactivated",
    # The public case status page (issue 11, ADR 40).
    "case.status_viewed",
    # Secure messages (issue 11, ADR 45).
    "message_thread.started",
    "message_thread.viewed",
    "message_thread.listed",
    "message.sent",
    "message.attachment_added",
    "message.attachment_viewed",
    # The Case Status API (issue 11, ADR 41).
    "api_client.registered",
    "case.status_api_answered",
    # Online access codes (issue 11, ADR 43).
    "access_code.issued",
    "access_code.redeemed",
    "access_code.refused",
    "access_code.requested",
    "access_code.revoked",
    # e-Requests (issue 11, ADR 44) and public accounts (ADR 42).
    "erequest.information_added",
    "public_profile.changed",
    "public_profile.created",
}


def test_every_member_has_its_own_value() -> None:
    # An Enum member with the value of another is silently an alias: count names and members.
    assert len(AuditAction.__members__) == len(list(AuditAction))
    assert len({a.value for a in AuditAction}) == len(list(AuditAction))


def test_the_stored_values_are_unchanged() -> None:
    values = {a.value for a in AuditAction}
    assert values >= STORED_BEFORE
    admin_values = values - STORED_BEFORE
    assert all(
        v.rsplit(".", 1)[1] in {"added_in_admin", "changed_in_admin", "deleted_in_admin"}
        for v in admin_values
    ), sorted(admin_values)


def test_every_admin_that_audits_its_edits_has_its_three_actions() -> None:
    audited = sorted(
        model._meta.model_name
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and isinstance(admin.site.get_model_admin(model), AuditedAdminMixin)
    )
    # 14, QA's sampling policy (ADR 36), the review rules (ADR 35), processing times (ADR 33)
    assert len(audited) == 17
    for model_name in audited:
        assert [actions.admin_edit(model_name, verb).value for verb in ("added", "changed")] == [
            f"{model_name}.added_in_admin",
            f"{model_name}.changed_in_admin",
        ]
        assert actions.admin_edit(model_name, "deleted") == f"{model_name}.deleted_in_admin"
    # and nothing else: no member for an admin that does not exist
    admin_members = {a.value.split(".")[0] for a in AuditAction if a.value.endswith("_in_admin")}
    assert admin_members == set(audited)


@pytest.mark.parametrize("object_type", ["case", "person", "service_request"])
def test_list_and_detail_views_of_audited_objects_have_their_actions(object_type: str) -> None:
    assert actions.listed(object_type).value == f"{object_type}.listed"
    assert actions.viewed(object_type).value == f"{object_type}.viewed"


def test_a_family_helper_refuses_a_name_that_is_not_a_member() -> None:
    with pytest.raises(UnknownAuditAction):
        actions.admin_edit("nosuchmodel", "changed")
    with pytest.raises(UnknownAuditAction):
        actions.listed("nosuchobject")


@pytest.mark.django_db
def test_record_refuses_a_plain_string_and_writes_nothing() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(TypeError):
        audit.record(
            actor=None,
            action="case.viewed",  # type: ignore[arg-type]
            object_type="case",
            object_id="X",
        )
    assert AuditEvent.objects.count() == before
    event = audit.record(
        actor=None, action=AuditAction.CASE_VIEWED, object_type="case", object_id="X"
    )
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def _action_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def _record_calls() -> list[tuple[str, int, ast.expr | None]]:
    """Every call of `record(...)`/`x.record(...)` in srmt/ outside the tests and migrations."""
    found = []
    for path in sorted(SRMT.rglob("*.py")):
        parts = path.relative_to(SRMT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "record":
                found.append((str(path.relative_to(SRMT)), node.lineno, _action_argument(node)))
    return found


FAMILY_HELPERS = {"admin_edit", "listed", "viewed"}


def _is_member(action: ast.expr | None) -> bool:
    """`AuditAction.X`, a family helper `actions.admin_edit(...)`/`listed`/`viewed`, a name
    (a parameter typed AuditAction), or a conditional between those: never a string."""
    if isinstance(action, ast.Attribute):
        return isinstance(action.value, ast.Name) and action.value.id == "AuditAction"
    if isinstance(action, ast.Call):
        func = action.func
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "actions"
            and func.attr in FAMILY_HELPERS
        )
    if isinstance(action, ast.IfExp):
        return _is_member(action.body) and _is_member(action.orelse)
    return isinstance(action, ast.Name)


def test_every_record_call_passes_the_enumeration_not_a_string() -> None:
    calls = _record_calls()
    assert len(calls) >= 30  # the scan sees the call sites (about 40 today)
    assert [f"{path}:{line}" for path, line, action in calls if not _is_member(action)] == []


def test_the_scan_tells_a_string_from_a_member() -> None:
    def action_of(source: str) -> ast.expr | None:
        call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
        return _action_argument(call)

    assert _is_member(action_of("audit.record(action=AuditAction.CASE_VIEWED)"))
    assert _is_member(action_of('record(action=actions.admin_edit(name, "deleted"))'))
    assert _is_member(action_of("record(action=AuditAction.A if c else AuditAction.B)"))
    assert not _is_member(action_of('audit.record(action="case.viewed")'))
    assert not _is_member(action_of('audit.record(action=f"{kind}.viewed")'))
    assert not _is_member(action_of('record(action=AuditAction.A if c else "case.updated")'))
    assert not _is_member(action_of('record(action=AuditAction("case.viewed"))'))
    assert not _is_member(action_of("record(actor=None)"))
