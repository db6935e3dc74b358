"""Nothing writes a message or sends mail around the customer-delivery gate (ADR 26).

An AST scan of srmt/ (tests and migrations excepted): outbox rows are written only by the
outbox itself (notifications/services.py), whose writer only the gate (delivery.py, for
customers) and notify_staff (internal.py, for staff, with a staff kind) call; mail leaves
only through a transport (transports.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import srmt
from srmt.notifications.choices import STAFF_KINDS, MessageKind

ROOT = Path(srmt.__file__).resolve().parent
OUTBOX = "notifications/services.py"
GATE = "notifications/delivery.py"
STAFF = "notifications/internal.py"
TRANSPORTS = "notifications/transports.py"

# name called -> the only modules that may call it
ALLOWED = {
    "write_message": {GATE, STAFF},
    "queue_message": set(),
    "release_held": {GATE},
    "send_mail": {TRANSPORTS},
    "send_mass_mail": {TRANSPORTS},
    "mail_admins": {TRANSPORTS},
    "mail_managers": {TRANSPORTS},
    "EmailMessage": {TRANSPORTS},
    "EmailMultiAlternatives": {TRANSPORTS},
}
ROW_WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}
STAFF_KIND_NAMES = {MessageKind(k).name for k in STAFF_KINDS}


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _names_notification(node: ast.expr) -> bool:
    """`Notification` or `anything.Notification`."""
    return (isinstance(node, ast.Name) and node.id == "Notification") or (
        isinstance(node, ast.Attribute) and node.attr == "Notification"
    )


def _is_notification_write(node: ast.Call) -> bool:
    """Notification(...), Notification.objects.create(...) and the like."""
    func = node.func
    if _names_notification(func):
        return True
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ROW_WRITES
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
        and _names_notification(func.value.value)
    )


def _staff_kind(node: ast.Call) -> bool:
    kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
    return isinstance(kind, ast.Attribute) and kind.attr in STAFF_KIND_NAMES


def violations(source: str, module: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        where = f"{module}:{node.lineno}"
        if _is_notification_write(node) and module != OUTBOX:
            found.append(f"{where} writes a Notification row outside the outbox")
        elif name in ALLOWED and module not in ALLOWED[name]:
            found.append(f"{where} calls {name} outside the gate")
        elif name == "notify_staff" and not _staff_kind(node):
            found.append(f"{where} calls notify_staff without a staff MessageKind")
    return found


def _modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts
        and "migrations" not in p.relative_to(ROOT).parts
    )


def test_nothing_reaches_a_customer_around_the_gate() -> None:
    modules = _modules()
    assert len(modules) > 100  # the scan sees the project
    found = [
        v
        for path in modules
        for v in violations(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Notification.objects.create(subject='x')",
            ["service_requests/x.py:1 writes a Notification row outside the outbox"],
        ),
        (
            "models.Notification(subject='x')",
            ["service_requests/x.py:1 writes a Notification row outside the outbox"],
        ),
        (
            "models.Notification.objects.bulk_create([])",
            ["service_requests/x.py:1 writes a Notification row outside the outbox"],
        ),
        (
            "Notification(subject='x').save()",
            ["service_requests/x.py:1 writes a Notification row outside the outbox"],
        ),
        (
            "notifications.queue_message(channel='email')",
            ["service_requests/x.py:1 calls queue_message outside the gate"],
        ),
        (
            "outbox.write_message(audience='customer')",
            ["service_requests/x.py:1 calls write_message outside the gate"],
        ),
        (
            "send_mail('s', 'b', None, ['a@b.c'])",
            ["service_requests/x.py:1 calls send_mail outside the gate"],
        ),
        (
            "EmailMessage(subject='s').send()",
            ["service_requests/x.py:1 calls EmailMessage outside the gate"],
        ),
        (
            "notify_staff(kind=MessageKind.REDIRECT_NOTICE, to_address=a)",
            ["service_requests/x.py:1 calls notify_staff without a staff MessageKind"],
        ),
        ("notify_staff(kind=MessageKind.ESCALATION_DIGEST, to_address=a)", []),
        ("delivery.send_to_customer(kind=MessageKind.REDIRECT_NOTICE)", []),
    ],
)
def test_the_scan_finds_each_way_around_the_gate(source: str, expected: list[str]) -> None:
    assert violations(source, "service_requests/x.py") == expected
