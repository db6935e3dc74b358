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


def test_every_srmt_setting_the_code_reads_comes_from_the_environment():
    """A setting read with getattr(settings, NAME, default) outside settings.py escapes the
    test above: it can be set by nobody and is documented nowhere."""
    settings_source = (ROOT / "srmt" / "settings.py").read_text(encoding="utf-8")
    read: dict[str, str] = {}
    for path in sorted((ROOT / "srmt").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if "/tests/" in relative or relative == "srmt/settings.py":
            continue
        source = path.read_text(encoding="utf-8")
        for name in re.findall(r"settings\.(SRMT_[A-Z0-9_]+)", source):
            read.setdefault(name, relative)
        for name in re.findall(r'getattr\(\s*settings\s*,\s*"([A-Z0-9_]+)"', source):
            read.setdefault(name, f"{relative} (getattr)")
    from_env = {
        name
        for name in read
        if re.search(rf'^{name} = env\.\w+\(\s*"{name}"', settings_source, re.MULTILINE)
    }
    assert {name: where for name, where in read.items() if name not in from_env} == {}


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
