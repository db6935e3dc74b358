"""The person view: one customer across their cases, requests and responses (ADR 29)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from srmt.search import people
from srmt.staff.views.common import staff_user


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = staff_user(request)
    person = people.get_person_for_user(user, person_id)
    people.record_person_view(person, actor=user)
    profile = people.person_profile(user, person)
    return render(request, "staff/person.html", {"profile": profile, "person": person})
