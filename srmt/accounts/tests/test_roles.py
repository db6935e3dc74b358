"""The role table: capabilities per role (written out here) and User.can / office_ids."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, CAPABILITIES, VIEW_SCOPE, Capability
from srmt.offices.models import Office

EXPECTED_CAPABILITIES = {
    "tier1": {"view", "create", "note"},
    "tier2": {"view", "create", "note", "respond", "transition"},
    "office_staff": {"view", "create", "note", "respond", "transition"},
    "supervisor": {
        "view",
        "create",
        "note",
        "respond",
        "transition",
        "aggregates",
        "manage_templates",
        "review_responses",
        "quality_reports",
    },
    "qa_reviewer": {"view", "aggregates", "qa_review", "quality_reports"},
    "analyst": {"aggregates", "quality_reports"},
    "administrator": {
        "view",
        "create",
        "note",
        "respond",
        "transition",
        "aggregates",
        "manage_cases",
        "manage_templates",
        "review_responses",
        "qa_review",
        "quality_reports",
    },
    "case_system": {"manage_cases"},
}
EXPECTED_VIEW_SCOPE = {
    "tier1": "national",
    "tier2": "national",
    "office_staff": "own_offices",
    "supervisor": "national",
    "qa_reviewer": "national",
    "analyst": "none",
    "administrator": "national",
    "case_system": "none",
}
EXPECTED_ACT_SCOPE = {**EXPECTED_VIEW_SCOPE, "tier2": "own_offices", "qa_reviewer": "none"}


def test_capabilities_per_role() -> None:
    assert {role.value: {c.value for c in caps} for role, caps in CAPABILITIES.items()} == (
        EXPECTED_CAPABILITIES
    )


def test_scopes_per_role() -> None:
    assert {role.value: scope for role, scope in VIEW_SCOPE.items()} == EXPECTED_VIEW_SCOPE
    assert {role.value: scope for role, scope in ACT_SCOPE.items()} == EXPECTED_ACT_SCOPE


@pytest.mark.parametrize("role", list(Role))
def test_user_can_follows_the_table_and_inactive_users_can_nothing(role: Role) -> None:
    active = User(username="a", role=role, is_active=True)
    inactive = User(username="b", role=role, is_active=False)
    assert {c.value for c in Capability if active.can(c)} == EXPECTED_CAPABILITIES[role.value]
    assert [c for c in Capability if inactive.can(c)] == []


@pytest.mark.django_db
def test_office_ids_are_read_once_per_instance(django_assert_num_queries: object) -> None:
    # given
    esc = Office.objects.get(code="ESC")
    user = User.objects.create(username="staff", role=Role.OFFICE_STAFF)
    user.offices.set([esc])
    fresh = User.objects.get(pk=user.pk)
    # when / then
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert fresh.office_ids() == {esc.pk}
        assert fresh.office_ids() == {esc.pk}
