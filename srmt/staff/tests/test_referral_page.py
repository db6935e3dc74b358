"""The referral page names the customer's country in the reader's language."""

from __future__ import annotations

import pytest

from srmt.accounts.models import User
from srmt.service_requests.routing_models import Referral
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.test_intake import FORM


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The customer lives outside the U.S. (Kenya). No service request was opened"),
        ("es", "El cliente vive fuera de EE. UU. (Kenia). No se abrió una solicitud"),
    ],
)
def test_the_referral_page_names_the_country(tier1: User, language: str, sentence: str) -> None:
    response = client_for(tier1).post(
        "/staff/intake/new/",
        {**FORM, "type": "complaint", "requester_country": "KE", "confirm_referral": "NAI"},
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    assert Referral.objects.get().country == "KE"
    assert sentence in response.content.decode()
