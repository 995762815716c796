"""Tables read column-wise read exactly what the row reader reads: every cell, every line."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defus_graph.errors import DataError
from defus_graph.sources import columns as columns_module
from defus_graph.sources.columns import _arrow_columns, columns_from_sheet, csv_columns
from defus_graph.sources.sheets import csv_sheet

# Cells people and exports write: quotes, separators and line breaks inside quotes,
# spaces around, umlauts, and now and then a stray quote or a blank line.
_TEXT = st.text(
    alphabet=st.sampled_from([*list('abcäöü ß€;,"\n\r\t'), "\xa0", "\x1f", "x"]),
    max_size=12,
)


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def _csv(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 4))
    header = ";".join(_quoted(f"col{i}") for i in range(width))
    lines = [header]
    for _ in range(draw(st.integers(0, 8))):
        cells = draw(st.lists(_TEXT, min_size=width, max_size=width))
        quote = draw(st.booleans())
        row = ";".join(_quoted(c) if quote or not c else c for c in cells)
        lines.append(row)
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", ";" * (width - 1), '"a"b', "  "])))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from(["", end]))
    return (draw(st.sampled_from(["", "\ufeff"])) + text).encode("utf-8")


def _read(read: object, data: bytes) -> object:
    assert callable(read)
    try:
        table = read(data)
    except DataError as err:
        return [str(p) for p in err.problems]
    return (
        table.header,
        table.lines,
        [table.raw(i) for i in range(len(table.header))],
        [table.column(i) for i in range(len(table.header))],
    )


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_csv(), st.sampled_from([1, 3, 1 << 20]))
def test_columns_are_what_the_row_reader_reads(data: bytes, step: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns_module, "_STEP", step)  # slices of a few bytes as well
        fast = _read(lambda d: csv_columns(d, "t.csv"), data)
    slow = _read(lambda d: columns_from_sheet(csv_sheet(d, "t.csv")), data)
    assert fast == slow


def test_pyarrow_reads_the_plain_cases_and_leaves_the_rest() -> None:
    plain = b'"a";"b"\n"x\ny";"1"\n"";""\n"z";"2"\n'
    table = _arrow_columns(plain, "t.csv", [])
    assert table is not None
    assert (table.lines, table.raw(0)) == ([2, 5], ["x\ny", "z"])  # the blank row 4 is skipped
    for odd in (
        b'"a";"b"\n"x"y;"1"\n',  # a quote closes the cell early: the csv module refuses it
        b'"a";"b"\n\n"x";"1"\n',  # a blank line: the row reader counts lines
        b'"a";"b"\n"x";"1";"2"\n',  # more cells than the header
        b'"a";"b"\r"x";"1"\r',  # lone carriage returns
    ):
        assert _arrow_columns(odd, "t.csv", []) is None
