"""Security settings and headers: production defaults (in a fresh process with production
environment variables), `check --deploy`, Content-Security-Policy and `no-store`."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from srmt.testing.factories import make_user

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        client = Client()
        http = client.get("/staff/login/")
        https = client.get("/staff/login/", secure=True)
        forwarded = client.get("/staff/login/", headers={"X-Forwarded-Proto": "https"})
    cookie = https.cookies.get(settings.CSRF_COOKIE_NAME)
    print(json.dumps({
        "http": [http.status_code, http.get("Location", "")],
        "forwarded": forwarded.status_code,
        "https": https.status_code,
        "headers": {name: https.get(name) for name in [
            "Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy",
            "X-Content-Type-Options", "X-Frame-Options", "Cross-Origin-Opener-Policy",
        ]},
        "csrf_cookie": {"secure": cookie["secure"], "httponly": cookie["httponly"]},
        "settings": {name: getattr(settings, name) for name in [
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
            "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
        ]},
    }))
    """
)


def _environment(**overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SRMT_", "SECURE_", "SESSION_", "DJANGO_", "DEBUG", "SECRET"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            # Never opened: the probe and `check --deploy` make no query.
            "DATABASE_URL": "sqlite:////tmp/srmt-security-probe-unused.sqlite3",
            "ALLOWED_HOSTS": "testserver",
            "PYTHONWARNINGS": "ignore",
            **overrides,
        }
    )
    return environment


PRODUCTION = {"SRMT_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(50)}


def _probe(**overrides: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_turns_on_https_only_cookies_hsts_and_the_security_headers():
    probe = _probe(**PRODUCTION)

    assert probe["http"] == [301, "https://testserver/staff/login/"]
    assert probe["https"] == 200
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(headers["Content-Security-Policy"]) == EXPECTED_CSP
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True}
    assert probe["settings"] == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_production_does_not_trust_a_forwarded_proto_header_unless_told_to():
    untrusted = _probe(**PRODUCTION)
    trusted = _probe(**PRODUCTION, SRMT_TRUSTED_PROXY_SSL_HEADER="X-Forwarded-Proto")

    # A client's own X-Forwarded-Proto must not make a plain-HTTP request count as HTTPS.
    assert untrusted["forwarded"] == 301
    assert untrusted["settings"]["SECURE_PROXY_SSL_HEADER"] is None
    assert trusted["forwarded"] == 200
    assert trusted["settings"]["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_keeps_plain_http_working():
    probe = _probe()

    assert probe["http"] == [200, ""]
    assert probe["settings"]["SESSION_COOKIE_SECURE"] is False
    assert probe["settings"]["SECURE_SSL_REDIRECT"] is False
    assert probe["settings"]["SECURE_HSTS_SECONDS"] == 0
    assert probe["headers"]["Strict-Transport-Security"] is None
    assert directives(probe["headers"]["Content-Security-Policy"]) == EXPECTED_CSP


def test_check_deploy_is_clean_under_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(**PRODUCTION, SRMT_CACHE_BACKEND="redis"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_warns_when_throttles_count_per_process():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    assert "srmt.W001" in done.stderr
    assert "SRMT_CACHE_BACKEND=redis" in done.stderr


# --- in this process: Content-Security-Policy and no-store ---------------------------------

EXPECTED_CSP = {
    "default-src": "'self'",
    "base-uri": "'none'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "img-src": "'self'",
    "object-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
}


def directives(policy: str) -> dict[str, str]:
    """A policy as {directive: sources} (django-csp does not keep their order)."""
    return dict(part.split(" ", 1) for part in policy.split("; "))


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy():
    response = Client().get("/staff/login/")

    assert directives(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_the_api_docs_page_may_load_swagger_ui_and_nothing_else(reference):
    client = APIClient()
    client.force_authenticate(make_user("olga"))

    policy = directives(client.get("/api/docs/")["Content-Security-Policy"])

    # Swagger UI is served from /static/ (drf-spectacular-sidecar): no other origin.
    assert policy == {
        **EXPECTED_CSP,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
    }


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    # The policy allows no inline code, so a template that needs it would silently break.
    offenders = []
    for template in (ROOT / "srmt").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for marker in ("<script>", "<style", " style=", " onclick=", " onload=", "javascript:"):
            if marker in text:
                offenders.append(f"{template.relative_to(ROOT)}: {marker.strip()}")
    assert offenders == []


NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_pages_for_a_signed_in_user_are_never_stored(reference):
    client = Client()
    client.force_login(make_user("olga", role="supervisor", offices=["ESC"]))

    for path in (
        "/staff/queues/ESC/",
        "/staff/statistics/",
        "/staff/account/tokens/",
        "/no-such-page/",
    ):
        assert client.get(path)["Cache-Control"] == NO_STORE, path


@pytest.mark.django_db
def test_every_api_answer_is_never_stored(reference):
    signed_in = APIClient()
    signed_in.force_authenticate(make_user("olga", role="supervisor"))

    assert signed_in.get("/api/v1/offices/")["Cache-Control"] == NO_STORE
    assert APIClient().get("/api/v1/offices/")["Cache-Control"] == NO_STORE
    assert APIClient().get("/api/v1/nothing-here/")["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_static_assets_stay_cacheable(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(make_user("olga"))

    response = client.get(f"{settings.STATIC_URL}srmt/staff.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
