from __future__ import annotations

import pytest

from srmt.messaging.tests.world import World, make_world


@pytest.fixture(autouse=True)
def message_files(settings, tmp_path):
    """Message files go to a fresh directory per test (never the real var/)."""
    settings.SRMT_MESSAGE_FILES_ROOT = tmp_path / "messages"
    return settings.SRMT_MESSAGE_FILES_ROOT


@pytest.fixture
def world(db) -> World:
    return make_world()
