"""Writing templates: create, new version, deactivate and reactivate; who may; what is refused
(and that a refusal writes nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.offices.models import Office
from srmt.response_templates import access, services
from srmt.response_templates.errors import InvalidTemplate, TemplateCodeTaken, UnknownVariable
from srmt.response_templates.models import ResponseTemplate, TemplateVersion
from srmt.response_templates.services import Wording
from srmt.testing.factories import make_customer, make_representative, make_user

EN = "We wrote to the {{ office_name }} about {{ receipt_number }}. {{ action_taken }}"
ES = "Escribimos a la oficina {{ office_name }} sobre {{ receipt_number }}. {{ action_taken }}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts() -> dict[str, int]:
    return {
        "templates": ResponseTemplate.objects.count(),
        "versions": TemplateVersion.objects.count(),
        "audit": AuditEvent.objects.count(),
        "active": ResponseTemplate.objects.filter(is_active=True).count(),
    }


def create(
    actor: User, code: str = "t-one", office: str | None = None, **kw: Any
) -> ResponseTemplate:
    return services.create_template(
        actor=actor,
        code=code,
        name=kw.pop("name", "A template"),
        office=Office.objects.get(code=office) if office else None,
        request_type=kw.pop("request_type", "general_case_inquiry"),
        response_kind=kw.pop("response_kind", "final"),
        wording=kw.pop("wording", Wording(EN, ES)),
    )


@pytest.fixture
def admin(reference: None) -> User:
    return make_user("tpl_admin", role=Role.ADMINISTRATOR)


def test_create_writes_version_one_and_audits(admin: User) -> None:
    template = create(admin, office="ESC")
    version = template.versions.get()
    assert (template.code, template.office.code, template.is_active) == ("t-one", "ESC", True)
    assert (version.version, version.body_en, version.body_es) == (1, EN, ES)
    event = AuditEvent.objects.filter(object_id="t-one").get()
    assert event.action == "response_template.created"
    assert event.changes == {
        "office": "ESC",
        "request_type": "general_case_inquiry",
        "response_kind": "final",
        "version": 1,
    }


def test_new_versions_keep_the_earlier_ones(admin: User) -> None:
    template = create(admin)
    services.add_version(template, actor=admin, wording=Wording(EN + " More.", ES, "Clearer"))
    services.add_version(template, actor=admin, wording=Wording(EN, ES + " Más.", "Spanish"))
    rows = list(template.versions.values_list("version", "body_en", "body_es", "change_note"))
    assert rows == [
        (1, EN, ES, ""),
        (2, EN + " More.", ES, "Clearer"),
        (3, EN, ES + " Más.", "Spanish"),
    ]
    assert AuditEvent.objects.filter(action="response_template.version_added").count() == 2


@pytest.mark.parametrize(
    ("field", "wording", "error", "variables"),
    [
        ("body_en", Wording("Hi {{ customer_nam }}", ES), UnknownVariable, ["customer_nam"]),
        ("body_es", Wording(EN, "Hola {{ Nombre }}"), UnknownVariable, ["{{ Nombre }}"]),
        ("body_en", Wording("  ", ES), InvalidTemplate, None),
        ("body_es", Wording(EN, ""), InvalidTemplate, None),
        ("body_en", Wording("x" * 10_001, ES), InvalidTemplate, None),
        ("change_note", Wording(EN, ES, "n" * 201), InvalidTemplate, None),
    ],
)
def test_create_refuses_bad_wording_and_writes_nothing(
    admin: User, field: str, wording: Wording, error: type[Exception], variables: Any
) -> None:
    before = counts()
    with pytest.raises(error) as refused:
        create(admin, wording=wording)
    assert refused.value.field == field  # type: ignore[attr-defined]
    if variables is not None:
        assert refused.value.variables == variables  # type: ignore[attr-defined]
        assert refused.value.code == "unknown_variable"  # type: ignore[attr-defined]
        assert variables[0] in str(refused.value)
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Bad Code"}, "code"),
        ({"code": ""}, "code"),
        ({"name": ""}, "name"),
        ({"request_type": "no_such_type"}, "request_type"),
        ({"response_kind": "closing"}, "response_kind"),
    ],
)
def test_create_refuses_bad_fields(admin: User, overrides: dict[str, str], field: str) -> None:
    before = counts()
    with pytest.raises(InvalidTemplate) as refused:
        create(admin, **overrides)
    assert refused.value.field == field
    assert counts() == before


def test_codes_are_unique(admin: User) -> None:
    create(admin)
    before = counts()
    with pytest.raises(TemplateCodeTaken):
        create(admin)
    assert counts() == before


@pytest.mark.parametrize(
    ("wording", "field"),
    [
        (Wording(EN, ES, "Nothing changed"), "body_en"),
        (Wording(EN + " x", ES, ""), "change_note"),
        (Wording(EN + " {{ whatever }}", ES, "Typo"), "body_en"),
    ],
)
def test_new_version_refusals_write_nothing(admin: User, wording: Wording, field: str) -> None:
    template = create(admin)
    before = counts()
    with pytest.raises(InvalidTemplate) as refused:
        services.add_version(template, actor=admin, wording=wording)
    assert refused.value.field == field
    assert counts() == before


def test_deactivate_and_reactivate(admin: User) -> None:
    template = create(admin)
    services.set_active(template, actor=admin, active=False)
    template.refresh_from_db()
    assert not template.is_active
    before = counts()
    with pytest.raises(InvalidTemplate):
        services.add_version(template, actor=admin, wording=Wording(EN + " x", ES, "n"))
    assert counts() == before
    services.set_active(template, actor=admin, active=False)  # already: nothing written
    assert counts() == before
    services.set_active(template, actor=admin, active=True)
    actions = list(
        AuditEvent.objects.filter(object_id=template.code).values_list("action", flat=True)
    )
    assert actions == [
        "response_template.created",
        "response_template.deactivated",
        "response_template.reactivated",
    ]


# Who may write: national templates, ESC's, CSC's. Written out, not derived from roles.py.
ACTORS = {
    "tier1": {"role": Role.TIER1, "offices": ["ESC"]},
    "tier2": {"role": Role.TIER2, "offices": ["CC-T2"]},
    "office_staff": {"role": Role.OFFICE_STAFF, "offices": ["ESC"]},
    "supervisor_esc": {"role": Role.SUPERVISOR, "offices": ["ESC"]},
    "supervisor_national": {"role": Role.SUPERVISOR, "offices": []},
    "supervisor_hq": {"role": Role.SUPERVISOR, "offices": ["HQ-SCOPS"]},
    "qa_reviewer": {"role": Role.QA_REVIEWER, "offices": []},
    "analyst": {"role": Role.ANALYST, "offices": []},
    "administrator": {"role": Role.ADMINISTRATOR, "offices": []},
    "case_system": {"role": Role.CASE_SYSTEM, "offices": []},
    "customer": None,
    "representative": None,
}
Y, N = True, False
#                        national, ESC, CSC
MAY_WRITE = {
    "tier1": (N, N, N),
    "tier2": (N, N, N),
    "office_staff": (N, N, N),
    "supervisor_esc": (N, Y, N),
    "supervisor_national": (Y, Y, Y),
    "supervisor_hq": (Y, Y, Y),
    "qa_reviewer": (N, N, N),
    "analyst": (N, N, N),
    "administrator": (Y, Y, Y),
    "case_system": (N, N, N),
    "customer": (N, N, N),
    "representative": (N, N, N),
}


def make_actor(kind: str) -> User:
    spec = ACTORS[kind]
    if kind == "customer":
        return make_customer("tpl_customer")
    if kind == "representative":
        return make_representative("tpl_rep")
    assert spec is not None
    return make_user(f"tpl_{kind}", role=spec["role"], offices=spec["offices"])


@pytest.mark.parametrize("kind", list(MAY_WRITE))
def test_permission_matrix(admin: User, kind: str) -> None:
    actor = make_actor(kind)
    existing = {
        None: create(admin, code="nat"),
        "ESC": create(admin, code="esc", office="ESC"),
        "CSC": create(admin, code="csc", office="CSC"),
    }
    for office, allowed in zip((None, "ESC", "CSC"), MAY_WRITE[kind], strict=True):
        office_row = Office.objects.get(code=office) if office else None
        assert access.can_manage(actor, office_row) is allowed
        template = existing[office]
        attempts = [
            lambda o=office: create(actor, code=f"new-{(o or 'nat').lower()}", office=o),
            lambda t=template: services.add_version(
                t, actor=actor, wording=Wording(EN + " v2", ES, "Change")
            ),
            lambda t=template: services.set_active(t, actor=actor, active=False),
            lambda t=template: services.set_active(t, actor=actor, active=True),
        ]
        for attempt in attempts:
            before = counts()
            if allowed:
                attempt()
                assert counts() != before
            else:
                with pytest.raises(PermissionDenied):
                    attempt()
                assert counts() == before
