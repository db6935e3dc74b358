import pytest

from srmt.offices.labels import office_choices, office_label
from srmt.offices.models import Office


@pytest.mark.django_db
def test_the_two_portland_offices_are_told_apart_and_others_keep_their_name():
    offices = Office.objects.filter(code__in=["POM", "POO", "ABQ"]).order_by("code")
    assert office_choices(offices) == [
        ("ABQ", "Albuquerque Field Office"),
        ("POM", "Portland Field Office (Portland, ME)"),
        ("POO", "Portland Field Office (Portland, OR)"),
    ]


@pytest.mark.django_db
def test_a_shared_name_without_a_place_falls_back_to_the_code():
    office = Office(code="ZZZ", name="Somewhere Office")
    assert office_label(office, shared_names=frozenset({"Somewhere Office"})) == (
        "Somewhere Office (ZZZ)"
    )
    assert office_label(office) == "Somewhere Office"
