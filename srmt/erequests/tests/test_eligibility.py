"""Eligibility on real rows: every self-service type on sample forms, with dates (ADR 0044)."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.cases.models import CaseStatusChange
from srmt.erequests import defaults, eligibility
from srmt.erequests.models import Eligibility
from srmt.erequests.tests.conftest import TODAY
from srmt.offices.models import FormType
from srmt.response_templates.models import ProcessingTime
from srmt.testing.factories import make_case

pytestmark = pytest.mark.usefixtures("reference")

SAMPLE_FORMS = ["I-130", "I-485", "N-400", "I-765", "I-102"]


def test_seed_writes_every_self_service_type_on_every_form():
    forms = FormType.objects.count()
    assert forms > 0
    assert Eligibility.objects.count() == forms * len(defaults.SELF_SERVICE_TYPES)
    assert set(Eligibility.objects.values_list("request_type", flat=True)) == set(
        defaults.SELF_SERVICE_TYPES
    )
    assert defaults.load_defaults() == 0  # idempotent


def _received_before_inquiry_date(form: str, office: str, *, eligible: bool) -> dt.date:
    months = ProcessingTime.objects.filter(form_type__code=form, office__code=office).first()
    span = eligibility.rules.span(months.months if months else eligibility.rules.DEFAULT_MONTHS)
    inquiry = TODAY - span
    return inquiry - dt.timedelta(days=1) if eligible else inquiry


@pytest.mark.parametrize("form", SAMPLE_FORMS)
@pytest.mark.parametrize("eligible", [True, False])
def test_outside_processing_time_on_sample_forms(form, eligible):
    received_on = _received_before_inquiry_date(form, "NBC", eligible=eligible)
    case = make_case(form=form, office="NBC", received_on=received_on)
    verdict = eligibility.check(case, defaults.OUTSIDE_NORMAL_PROCESSING_TIME, today=TODAY)
    assert verdict.eligible is eligible
    if not eligible:
        assert verdict.from_date == TODAY + dt.timedelta(days=1)


def test_a_transferred_case_takes_its_new_offices_time():
    i130 = FormType.objects.get(code="I-130")
    times = dict(
        ProcessingTime.objects.filter(form_type=i130).values_list("office__code", "months")
    )
    slow, fast = max(times, key=times.get), min(times, key=times.get)
    assert times[slow] > times[fast]
    received = TODAY - eligibility.rules.span(times[fast]) - dt.timedelta(days=1)
    case = make_case(form="I-130", office=fast, received_on=received)
    assert eligibility.check(case, defaults.OUTSIDE_NORMAL_PROCESSING_TIME, today=TODAY).eligible
    case.office = case.office.__class__.objects.get(code=slow)
    case.save()
    verdict = eligibility.check(case, defaults.OUTSIDE_NORMAL_PROCESSING_TIME, today=TODAY)
    assert (verdict.eligible, verdict.months) == (False, times[slow])


@pytest.mark.parametrize("form", SAMPLE_FORMS)
@pytest.mark.parametrize(
    ("mailed_days_ago", "eligible", "code"),
    [(None, False, "not_mailed"), (29, False, "too_early"), (30, True, "")],
)
def test_not_received_after_the_configured_days(form, mailed_days_ago, eligible, code):
    case = make_case(form=form, status_text="Case Is Being Actively Reviewed")
    if mailed_days_ago is not None:
        CaseStatusChange.objects.create(
            case=case,
            status_text="Card Was Mailed To Me",
            changed_at=dt.datetime.combine(
                TODAY - dt.timedelta(days=mailed_days_ago), dt.time(12), tzinfo=dt.UTC
            ),
        )
    verdict = eligibility.check(case, defaults.NOT_RECEIVED, today=TODAY)
    assert (verdict.eligible, verdict.code) == (eligible, code)


def test_the_wait_for_not_received_is_data():
    case = make_case(form="I-765", status_text="Card Was Mailed To Me", status_updated_on=TODAY)
    assert not eligibility.check(case, defaults.NOT_RECEIVED, today=TODAY).eligible
    Eligibility.objects.filter(form_type=case.form_type, request_type=defaults.NOT_RECEIVED).update(
        wait_days=0
    )
    assert eligibility.check(case, defaults.NOT_RECEIVED, today=TODAY).eligible


@pytest.mark.parametrize("form", SAMPLE_FORMS)
@pytest.mark.parametrize(
    ("type_code", "protected", "eligible", "code"),
    [
        (defaults.CHANGE_OF_ADDRESS, False, True, ""),
        (defaults.CHANGE_OF_ADDRESS, True, False, "confidential_address"),
        (defaults.TYPOGRAPHIC_ERROR, False, True, ""),
        (defaults.ACCOMMODATION, True, True, ""),
    ],
)
def test_other_types_on_sample_forms(form, type_code, protected, eligible, code):
    case = make_case(form=form, is_protected=protected)
    verdict = eligibility.check(case, type_code, today=TODAY)
    assert (verdict.eligible, verdict.code) == (eligible, code)


def test_a_type_switched_off_for_a_form_is_not_offered():
    case = make_case(form="N-400", received_on=dt.date(2020, 1, 1))
    Eligibility.objects.filter(form_type=case.form_type).update(is_allowed=False)
    verdict = eligibility.check(case, defaults.OUTSIDE_NORMAL_PROCESSING_TIME, today=TODAY)
    assert (verdict.eligible, verdict.code) == (False, "not_offered")


def test_without_an_account_only_where_allowed():
    case = make_case(form="I-130")
    verdict = eligibility.check(case, defaults.TYPOGRAPHIC_ERROR, today=TODAY, without_account=True)
    assert (verdict.eligible, verdict.code) == (False, "account_needed")
