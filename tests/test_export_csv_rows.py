"""The Gephi CSV tables, made column by column, are what ``csv.writer`` writes row by row.

The writer quotes a column's fields after one search over all of them, makes
each repeated time set once and guards a column against formulas in one go;
the references below are the row-by-row code those shortcuts replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st

from defus_graph.export._table import Interval
from defus_graph.export.gephi_csv import (
    _all_safe,
    _bounds,
    _header,
    _rows,
    _safe,
    timeset,
    timesets,
)

# Cleaned text (never "\x00" nor a lone surrogate), rich in what csv quotes and what a
# spreadsheet runs.
pieces = st.sampled_from([",", '"', "\r", "\n", "\r\n", "=", "+", "-", "@", "\t", " ", "a", "ü"])
texts = st.lists(
    st.one_of(pieces, st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    max_size=6,
).map("".join)


@given(
    st.integers(3, 5).flatmap(
        lambda width: st.lists(
            st.lists(st.one_of(st.none(), texts), min_size=width, max_size=width), max_size=30
        )
    )
)
def test_tables_are_what_csv_writer_writes(rows: list[list[str | None]]) -> None:
    width = len(rows[0]) if rows else 3
    header = [f"h{j}," if j % 2 else f"h{j}" for j in range(width)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    columns = [[row[j] for row in rows] for j in range(width)]
    assert _header(header) + _rows(columns) == buffer.getvalue()


@given(st.lists(st.one_of(st.none(), texts), max_size=30))
def test_a_column_is_guarded_as_each_text(column: list[str | None]) -> None:
    assert _all_safe(column) == [None if t is None else _safe(t) for t in column]


_D = [None, dt.date(2014, 1, 1), dt.date(2019, 12, 31)]
intervals = st.builds(Interval, st.sampled_from(_D), st.sampled_from(_D))


@given(
    st.lists(
        st.tuples(intervals, st.one_of(st.just(()), st.lists(intervals, min_size=2).map(tuple))),
        max_size=30,
    )
)
def test_time_sets_are_each_rows(rows: list[tuple[Interval, tuple[Interval, ...]]]) -> None:
    found = timesets([i for i, _ in rows], [s for _, s in rows])
    assert found == [
        f"<{'; '.join(map(_bounds, several))}>" if several else timeset(interval)
        for interval, several in rows
    ]
