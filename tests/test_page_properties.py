"""The page parser on random pages: what a page states is read, and a missing heading is caught.

Pages come from :mod:`tests.page_render`, which writes random projects in the
seed's format with every heading shape, field order and partner list the
format allows; the parser must find exactly the facts the renderer wrote down.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from defus_graph.errors import DataError
from defus_graph.sources.page import parse_page

from .page_render import PageSection, pages, render

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(text: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    facts = parse_page(text, "random.txt")
    projects = [
        (p.acronym, p.title, p.line, p.start, p.end, p.dates_line, p.programme, p.funding_eur,
         p.funding_scope, p.funding_share_of, p.funding_line, p.section, p.description,
         p.description_line)
        for p in facts.projects
    ]  # fmt: skip
    mentions = [
        (m.project, m.name, m.role, m.country, m.abbreviation, m.line) for m in facts.mentions
    ]
    return projects, mentions


@SETTINGS
@given(pages())
def test_a_page_is_read_as_written(page: list[PageSection]) -> None:
    rendered = render(page)
    projects, mentions = _read(rendered.text)
    assert projects == rendered.projects
    assert mentions == rendered.mentions


@SETTINGS
@given(pages())
def test_deleting_any_heading_is_a_problem_never_a_merge(page: list[PageSection]) -> None:
    rendered = render(page)
    lines = rendered.text.splitlines()
    for number in rendered.heading_lines:
        cut = "\n".join(lines[: number - 1] + lines[number:])
        with pytest.raises(DataError, match="is a project heading missing above line"):
            parse_page(cut, "random.txt")
