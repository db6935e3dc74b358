"""Project-wide test fixtures: reference data, one user per role, the immediate task backend."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run in-process unless a test asks for a real backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def reference(db):
    """Offices, forms, request types and deadline policies, as `srmt seed` loads them."""
    from srmt.seed.reference import load_reference

    load_reference()
