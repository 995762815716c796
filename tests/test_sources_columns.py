"""Tables read column-wise read exactly what the row reader reads: every cell, every line."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
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


# Rows as CORDIS writes them (every cell quoted), now and then with a raw piece
# in a cell, the header or between rows: a stray quote, a quote closing early.
_RAW = st.text(alphabet=st.sampled_from(list('a";\n')), min_size=1, max_size=4)


@st.composite
def _quoted_rows(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 3))
    end = draw(st.sampled_from(["\n", "\r\n"]))

    def cell() -> str:
        if draw(st.integers(0, 7)) == 0:
            return draw(_RAW)
        return _quoted(draw(st.text(alphabet=st.sampled_from(list('ab";\n')), max_size=4)))

    header = ";".join(cell() if draw(st.integers(0, 5)) == 0 else '"h"' for _ in range(width))
    rows = [";".join(cell() for _ in range(width)) for _ in range(draw(st.integers(1, 6)))]
    return (end.join([header, *rows]) + draw(st.sampled_from(["", end]))).encode()


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_quoted_rows(), st.booleans())
def test_quotes_are_judged_alike_from_the_rows_pyarrow_read(body: bytes, bom: bool) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    first = body[: body.find(b"\n")]
    assume(first.count(b'"') % 2 == 0 and body.count(b'"') % 2 == 0)  # as _arrow_columns asks
    width = first.count(b";") + 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=";", newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return  # the row reader reads it
    # With a byte-order mark in front, left in place: judged as the text after it.
    marked = b"\xef\xbb\xbf" + body if bom else body
    fast = columns_module._quotes_close_early(marked, body.count(b'"'), ";", table, bom)
    assert fast == columns_module._closes_early(body, ";")


def test_rows_written_as_cordis_writes_them_are_judged_without_the_byte_scan() -> None:
    body = b'"a";"b"\r\n"x ""y""";"1"\r\n"";"z\ny"\r\n'
    table = _arrow_columns(body, "t.csv", [])
    assert table is not None and table.raw(0) == ['x "y"', ""]
    with pytest.MonkeyPatch.context() as patch:
        scanned: list[int] = []
        patch.setattr(columns_module, "_closes_early", lambda b, d: scanned.append(len(b)))
        assert _arrow_columns(body, "t.csv", []) is not None
    assert scanned == [len(b'"a";"b"\r\n')]  # the header line only


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["", "a", "ä b", "DE", "x" * 20, '"q"']), max_size=9)),
    st.integers(0, 3),
)
def test_shared_texts_are_what_to_pylist_gives(chunks: list[list[str]], cut: int) -> None:
    # Columns of repeated and of distinct texts, in chunks and sliced: the same texts
    # in the same order; each distinct text one string only where most repeat.
    import pyarrow as pa

    column = pa.chunked_array([pa.array(c, pa.string()) for c in chunks], pa.string())
    column = column.slice(min(cut, len(column)))
    shared = columns_module._shared_texts(column)
    assert shared == column.to_pylist()
    assert all(type(text) is str for text in shared)
    if len(set(shared)) * 2 <= len(shared):
        assert len({id(text) for text in shared}) == len(set(shared))
