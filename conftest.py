"""Project-wide test fixtures: reference data, fast hashing, in-process tasks, an empty
cache, and the clean-up of tests that really commit."""

from __future__ import annotations

import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tasks run in-process and email stays in memory unless a test asks otherwise; pages
    render without a collectstatic manifest; factories hash passwords fast."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests of the new-information check itself (ADR 39), besides those marked new_information.
NEW_INFORMATION_TESTS = ("srmt/quality/",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(part in item.nodeid for part in NEW_INFORMATION_TESTS):
            item.add_marker(pytest.mark.new_information)


@pytest.fixture(autouse=True)
def _placeholder_responses(request, settings):
    """Tests send placeholder responses ("Hi.", "Done."), which the new-information check
    (ADR 39) would refuse as form letters: they run with its threshold at 0, so that every
    response is still assessed and scored but none is a form letter. Tests of the check
    (marked new_information, and all of srmt/quality) run at the configured threshold."""
    if request.node.get_closest_marker("new_information") is None:
        settings.SRMT_NEW_INFORMATION_THRESHOLD = 0.0


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware activates the request's language in the thread and nothing turns it
    off, so a page fetched in Spanish would leave later tests in Spanish: every test starts
    and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The API throttles count in the cache: no test inherits another test's calls."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_config_snapshots():
    """Each test's database is rolled back, so no process-wide snapshot may outlive it."""
    from srmt.core.snapshots import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (offices, forms, request types, deadline policies, routing rules,
    expedite criteria, the escalation ladder), as `srmt seed` loads them, is loaded ONCE per
    run into the test database. Each test runs in a transaction that is rolled back, so every
    test starts from exactly this data; tests that really commit reload it after their flush
    (`pytest_runtest_teardown` below)."""
    from srmt.seed.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def reference(db):
    """Names a test's need for the reference data, which every test database holds."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Transactional tests end with a flush of every table, which the audit log's
    append-only triggers refuse: lift them for that flush only, then reload the reference
    data the flush removed."""
    from srmt.testing.db import is_transactional, unlocked_audit_log

    if not is_transactional(item):
        return (yield)
    # After the session's last test the test database is gone: nothing to re-lock then.
    relock = nextitem is not None
    with item.config.stash[blocking_manager_key].unblock():
        with unlocked_audit_log(relock=relock):
            outcome = yield
        if relock:
            # The flush emptied the reference data too: the next test starts from it again.
            from srmt.seed.reference import load_reference

            load_reference()
        return outcome
