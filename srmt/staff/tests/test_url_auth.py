"""Every URL of the project needs a signed-in user, except a short, named allow-list.

Like get.gov's sweep: walk the URL resolver, fill each pattern with sample values and
request it anonymously. Pages must send the visitor to a login page; the API must answer
401 or 403. A new URL is covered the moment it is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver

# name -> why it is public (each reason is checked below, so none can go stale)
PUBLIC = {
    "login": "the sign-in page itself",
    "logout": "POST only; without a session it only sends the visitor to the sign-in page",
    "set_language": "the language switch, offered before sign-in too; it only sets a cookie",
    "admin:login": "the admin's own sign-in page",
    "admin:logout": "without a session it only sends the visitor to the admin (its sign-in)",
    "survey": "the customer's satisfaction survey: its signed single-use link is the permission",
}

SAMPLES = {"int": "1", "str": "SR-0000-0000", "slug": "sample", "uuid": "0" * 32, "path": "x/y"}


def _route_sample(match: re.Match[str]) -> str:
    converter = match.group(1) or "str"
    return SAMPLES.get(converter, "1")


def _regex_sample(match: re.Match[str]) -> str:
    body = match.group(2)
    if re.fullmatch(r"\(?[\w|-]+\)?", body) and "|" in body:
        return body.strip("()").split("|")[0]  # an alternation such as app labels
    if "format" in match.group(1):
        return "json"
    return "1"


def sample_path(pattern: str) -> str:
    path = re.sub(r"<(?:(\w+):)?(\w+)>", _route_sample, pattern)
    path = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))+)\)", _regex_sample, path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")
    return "/" + path.replace("/?", "/").replace("?", "")


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield name, sample_path(prefix + str(entry.pattern))


# The staff site: its pages, the admin and the REST API. Everything else is the public site
# (issue 11), whose pages prove their own access rules (srmt/portal/tests).
STAFF_SITE = ("/staff/", "/admin/", "/api/")
ALL_URLS = sorted(
    (name, path)
    for name, path in set(walk(get_resolver().url_patterns))
    if path.startswith(STAFF_SITE) or name in {"set_language", "survey"}
)


def test_the_sweep_sees_the_staff_pages():
    names = {name for name, _path in ALL_URLS}
    assert {
        "staff:home",
        "staff:queue",
        "staff:request-detail",
        "staff:request-respond",
        "staff:request-note",
        "staff:request-transition",
        "staff:request-assign",
        "staff:intake",
        "staff:intake-new",
        "staff:statistics",
        "staff:api-tokens",
        "staff:api-token-revoke",
        "staff:search",
        "staff:person-detail",
    } <= names
    assert ("staff:queue", "/staff/queues/SR-0000-0000/") in ALL_URLS


@pytest.mark.parametrize(
    ("name", "path"), [(n, p) for n, p in ALL_URLS if n not in PUBLIC], ids=lambda v: v
)
@pytest.mark.django_db
def test_url_requires_authentication(client, name, path):
    login = "/admin/login/" if path.startswith("/admin/") else "/staff/login/"
    for method in (client.get, client.post):
        response = method(path)
        if not path.startswith(("/api/", "/admin/")):
            # Staff pages send people to the sign-in page, coming back afterwards.
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"] == f"/staff/login/?next={quote(path)}", (name, path)
        elif response.status_code == 302:
            assert response["Location"].startswith(login), (name, path, response["Location"])
        else:
            # APIs (ours and django-rq's JSON statistics) refuse instead of redirecting.
            assert response.status_code in {401, 403}, (name, path, response.status_code)


@pytest.mark.django_db
def test_public_pages_answer_without_a_session(client):
    assert client.get("/staff/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/staff/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    # A survey link that is not one gets a plain page (srmt/surveys/tests), never a sign-in.
    assert client.get("/survey/SR-0000-0000/").status_code == 404


def test_every_public_name_is_a_url_of_the_project():
    assert set(PUBLIC) <= {name for name, _path in ALL_URLS}


@pytest.mark.django_db
def test_signing_out_without_a_session_changes_nothing(client):
    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/")
    assert (response.status_code, response["Location"]) == (302, "/staff/login/")
    assert Session.objects.count() == 0
    response = client.post("/admin/logout/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Session.objects.count() == 0
