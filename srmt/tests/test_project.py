"""Project-wide conventions, checked on every run."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _settings_variables() -> set[str]:
    source = (ROOT / "srmt" / "settings.py").read_text(encoding="utf-8")
    calls = re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', source)
    return set(calls)


def test_every_setting_is_documented_in_env_example():
    documented = set(
        re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    assert sorted(_settings_variables() - documented) == []


def test_every_srmt_model_has_a_docstring():
    undocumented = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("srmt.")
        and (not model.__doc__ or model.__doc__.startswith(f"{model.__name__}("))
    ]
    assert undocumented == []


def test_every_charfield_has_a_max_length():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("srmt.")
        for field in model._meta.get_fields()
        if field.get_internal_type() == "CharField" and not getattr(field, "max_length", None)
    ]
    assert missing == []
