"""`srmt spikes --csv FILE`: JSON out, bad input refused with status 2 (ADR 0046)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from srmt.reporting.spikes import detect

from .test_spikes import EVENT, spike, weekly


def write(tmp_path, text):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_prints_the_detections_as_json_sorted_by_series_and_start(tmp_path):
    lines = ["date,series,count"]
    quiet, busy = weekly(seed=3), weekly(change=spike)
    for (day, a), (_, b) in zip(quiet, busy, strict=True):
        lines.append(f"{day.isoformat()},office B,{b}")
        lines.append(f"{day.isoformat()},office A,{a}")
    out = StringIO()
    call_command("spikes", "--csv", write(tmp_path, "\n".join(lines) + "\n"), stdout=out)
    printed = json.loads(out.getvalue())
    expected = [d.as_dict() for d in detect({"office A": quiet, "office B": busy})]
    assert printed == expected
    assert [(d["series"], d["start"], d["end"], d["direction"], d["kind"]) for d in printed] == [
        ("office B", EVENT.isoformat(), EVENT.isoformat(), "up", "spike")
    ]
    (found,) = printed
    assert set(found) >= {"series", "start", "end", "direction", "expected", "observed"}
    assert found["observed"] == dict(busy)[EVENT]
    assert found["explanation"].startswith(f"office B: {dict(busy)[EVENT]} received on ")


def test_no_events_prints_an_empty_array(tmp_path):
    rows = "".join(f"{d.isoformat()},web,{c}\n" for d, c in weekly(200))
    out = StringIO()
    call_command("spikes", "--csv", write(tmp_path, "date,series,count\n" + rows), stdout=out)
    assert json.loads(out.getvalue()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the first line must be the header date,series,count"),
        ("day,series,count\n2024-01-01,a,1\n", "the first line must be the header"),
        ("date,series,count\n2024-13-01,a,1\n", "line 2: '2024-13-01' is not an ISO date"),
        ("date,series,count\n01/02/2024,a,1\n", "line 2: '01/02/2024' is not an ISO date"),
        ("date,series,count\n2024-01-01,a,-3\n", "line 2: count '-3' is not a whole number"),
        ("date,series,count\n2024-01-01,a,2.5\n", "line 2: count '2.5' is not a whole number"),
        ("date,series,count\n2024-01-01,a\n", "line 2: expected 3 columns, found 2"),
        ("date,series,count\n2024-01-01,a,1e3\n", "line 2: count '1e3' is not a whole number"),
        ("date,series,count\n2024-01-01,a,4.50\n", "line 2: count '4.50' is not a whole number"),
        ("date,series\n2024-01-01,a\n", "the first line must be the header"),
        ("date,series,count,date\n2024-01-01,a,1,2024-01-02\n", "the first line must be"),
        ("series,note,count,date\na,x,4\n", "line 2: expected 4 columns, found 3"),
        ("date,series,count\n2024-01-01,,4\n", "line 2: the series name is empty"),
        (
            "date,series,count\n2024-01-01,a,4\n2024-01-01,a,5\n",
            "line 3: a second row for 'a' on 2024-01-01",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(tmp_path, capsys, text, message):
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("spikes", "--csv", write(tmp_path, text), stdout=out)
    assert exit_info.value.code == 2
    assert out.getvalue() == ""
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("spikes", "--csv", str(tmp_path / "nope.csv"), stdout=StringIO())
    assert exit_info.value.code == 2
    assert "cannot read" in capsys.readouterr().err


def test_blank_lines_and_unsorted_rows_are_fine(tmp_path):
    text = "date,series,count\n2024-01-02,a,3\n\n2024-01-01,a,4\n"
    out = StringIO()
    call_command("spikes", "--csv", write(tmp_path, text), stdout=out)
    assert json.loads(out.getvalue()) == []
    assert detect({"a": [(dt.date(2024, 1, 1), 4), (dt.date(2024, 1, 2), 3)]}) == []


def test_the_header_may_name_the_columns_in_any_order_among_others(tmp_path):
    """As a spreadsheet or a data frame writes it: the three columns found by their names,
    other columns ignored, whole counts with a decimal point read as whole counts."""
    quiet, busy = weekly(seed=3), weekly(change=spike)
    lines = ["Series,note,COUNT,date"]
    for (day, a), (_, b) in zip(quiet, busy, strict=True):
        lines.append(f'"office, B",x,{b}.0,{day.isoformat()}')
        lines.append(f"office A,,{a},{day.isoformat()}")
    out = StringIO()
    call_command("spikes", "--csv", write(tmp_path, "\n".join(lines) + "\n"), stdout=out)
    expected = detect({"office A": quiet, "office, B": busy})
    assert [(d.series, d.start, d.kind) for d in expected] == [("office, B", EVENT, "spike")]
    assert json.loads(out.getvalue()) == [d.as_dict() for d in expected]
