"""The SVG bar charts of the public reports (ADR 0049): geometry, markers, scales."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmt.reporting.public import charts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 1.0),
        (-3, 1.0),
        (0.3, 0.5),
        (0.7, 1.0),
        (1, 1.0),
        (7, 10.0),
        (12, 20.0),
        (20, 20.0),
        (21, 25.0),
        (40, 50.0),
        (120, 200.0),
        (1234, 2000.0),
    ],
)
def test_the_scale_ends_on_a_round_number(value: float, expected: float) -> None:
    assert charts.nice_maximum(value) == pytest.approx(expected)


def test_bars_markers_and_missing_figures() -> None:
    # when
    chart = charts.bar_chart(
        "c1",
        "Requests by month",
        "Requests opened",
        [("October", 40), ("November", "D"), ("December", None), ("January", 25)],
    )
    # then: the scale runs to 50; a hidden value has no bar but its marker after a box
    assert (chart.width, chart.height, chart.title_id, chart.desc_id) == (
        480,
        8 + 4 * 44 + 28,
        "c1-title",
        "c1-desc",
    )
    assert [(b.label, b.value_text, b.width, b.marker, b.text_x) for b in chart.bars] == [
        ("October", "40", 288.0, "", 302.0),
        ("November", "D", 0.0, "D", 36.0),
        ("December", "–", 0.0, "", 14.0),
        ("January", "25", 180.0, "", 194.0),
    ]
    assert [(b.label_y, b.bar_y, b.text_y) for b in chart.bars[:2]] == [
        (22, 28, 41),
        (66, 72, 85),
    ]
    assert [(g.x, g.text) for g in chart.gridlines] == [(8, "0"), (188.0, "25"), (368, "50")]
    assert chart.tick_y == 8 + 4 * 44 + 18


def test_shares_are_drawn_on_a_scale_of_one_with_their_own_format() -> None:
    chart = charts.bar_chart(
        "c2", "Share", "", [("A", 0.5), ("B", "H")], fmt=lambda v: f"{v:.0%}", maximum=1.0
    )
    assert [(b.value_text, b.width) for b in chart.bars] == [("50%", 180.0), ("H", 0.0)]
    assert [g.text for g in chart.gridlines] == ["0%", "50%", "100%"]


def test_long_labels_are_shortened() -> None:
    label = "Application to Register Permanent Residence or Adjust Status (a long form name)"
    chart = charts.bar_chart("c3", "t", "d", [(label, 1)])
    assert chart.bars[0].label == label[:63].rstrip() + "…"
    assert len(chart.bars[0].label) <= 64


def test_an_empty_chart_has_only_its_scale() -> None:
    chart = charts.bar_chart("c4", "t", "d", [])
    assert (chart.bars, chart.height, [g.text for g in chart.gridlines]) == (
        (),
        36,
        ["0", "0", "1"],
    )


@given(
    st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=10**7),
            st.floats(min_value=0, max_value=1e7, allow_nan=False),
            st.sampled_from(["D", "H", None]),
        ),
        max_size=30,
    )
)
def test_every_bar_fits_in_the_plot(values: list[int | float | str | None]) -> None:
    chart = charts.bar_chart("c", "t", "d", [(str(i), v) for i, v in enumerate(values)])
    for bar, value in zip(chart.bars, values, strict=True):
        assert 0 <= bar.width <= charts.PLOT_WIDTH
        assert bar.marker == (value if isinstance(value, str) else "")
        if not isinstance(value, int | float) or value == 0:
            assert bar.width == 0
        assert chart.plot_top <= bar.bar_y < chart.plot_bottom
