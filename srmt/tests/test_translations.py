"""The Spanish catalogue is complete: every message translated, none left fuzzy, and the
compiled catalogue is the one built from it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"


def _entries() -> list[dict[str, str]]:
    """The .po file's entries (header and obsolete ones left out): flags, msgid, msgstr."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match[1]
                fields[key] = match[2]
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries.append({"flags": flags, **fields})
    return entries


def test_the_parser_reads_every_entry() -> None:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    msgids = re.findall(r"^msgid ", text, flags=re.MULTILINE)
    assert len(_entries()) == len(msgids) - 1  # all but the header


def test_no_spanish_message_is_fuzzy_or_missing() -> None:
    fuzzy = [e["msgid"] for e in _entries() if "fuzzy" in e["flags"]]
    missing = [
        e["msgid"]
        for e in _entries()
        if not any(value for key, value in e.items() if key.startswith("msgstr"))
        or any(value == "" for key, value in e.items() if key.startswith("msgstr["))
    ]
    assert (fuzzy, missing) == ([], [])


@pytest.mark.parametrize("placeholder", [r"%\(\w+\)s", r"%\(\w+\)d", r"\{\w+\}"])
def test_translations_keep_the_placeholders(placeholder: str) -> None:
    wrong = [
        e["msgid"]
        for e in _entries()
        for key, value in e.items()
        if key.startswith("msgstr")
        and sorted(re.findall(placeholder, value))
        != sorted(re.findall(placeholder, e.get("msgid_plural" if "[1]" in key else "msgid", "")))
        # a singular may say "one" instead of its counter
        and not (key == "msgstr[0]" and "counter" in e["msgid"])
    ]
    assert wrong == []


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(value: str) -> str:
    """A .po string literal's text (its backslash escapes undone)."""
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m[1], m[0]), value)


def test_the_compiled_catalogue_says_what_its_source_says() -> None:
    # Edit the .po, then `make messages` (or compilemessages): the .mo is what Django reads.
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        e["msgid"]
        for e in _entries()
        if "msgstr" in e and catalogue.gettext(_unescape(e["msgid"])) != _unescape(e["msgstr"])
    ]
    assert stale == []
