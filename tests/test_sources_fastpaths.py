"""The shortcuts that make big imports fast give exactly what the plain ways give."""

from __future__ import annotations

import gc
import io
import re
from collections import deque
from collections.abc import Generator, Iterator

import pytest
from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from hypothesis import given, settings
from hypothesis import strategies as st

from metasummary.models import RecordData
from metasummary.sources import bibtex, decode, format_named, read
from metasummary.sources import normalise as norm
from metasummary.sources.linestarts import LinePattern
from metasummary.sources.table import _with_line_ends, first_line
from tests import sourcedata

EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True)
LINE_BODIES = [
    r"TY  -",
    r"ER  -[^\n]*",
    r"[ \t]*TY[ \t]*-",
    r"[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]",
]
SPACES = st.sampled_from([" ", "\n", "\t", "\r", "\xa0", "\u2003", "\x0b", "a", "b", ";"])


@pytest.mark.parametrize("body", LINE_BODIES)
@EXAMPLES
@given(text=st.text(alphabet=st.sampled_from("TYER -@{(a\n\t"), max_size=80))
def test_line_pattern_finds_what_a_multiline_caret_finds(body: str, text: str) -> None:
    caret = [m.span() for m in re.compile("^" + body, re.MULTILINE).finditer(text)]
    assert LinePattern(body).spans(text) == caret


@EXAMPLES
@given(text=st.text(alphabet=st.sampled_from('a,"\n '), max_size=60))
def test_csv_lines_are_those_stringio_gives(text: str) -> None:
    assert list(_with_line_ends(text.split("\n"))) == list(io.StringIO(text))


@EXAMPLES
@given(text=st.text(alphabet=st.sampled_from("a \t\n"), max_size=60))
def test_first_line_as_splitting_the_whole_text(text: str) -> None:
    expected = next((line for line in text.split("\n", 20)[:20] if line.strip()), "")
    assert first_line(text) == expected


def _fold_by_scans(value: str) -> str:
    # fold_space as it was written first: every quick check a scan of its own.
    if not (
        "  " in value
        or "\n" in value
        or "\t" in value
        or "\r" in value
        or "\xa0" in value
        or value[:1].isspace()
        or value[-1:].isspace()
    ):
        return value
    return " ".join(value.split())


@EXAMPLES
@given(value=st.text(alphabet=SPACES, max_size=12))
def test_fold_space_folds_what_the_scans_folded(value: str) -> None:
    assert norm.fold_space(value) == _fold_by_scans(value)


@EXAMPLES
@given(
    value=st.text(alphabet=SPACES, max_size=20),
    separators=st.sampled_from([";", (";",), (" and ",), ",;", ("; ", "a")]),
)
def test_split_list_splits_as_the_regex_did(value: str, separators: str | tuple[str, ...]) -> None:
    pattern = "|".join(re.escape(s) for s in separators)
    if not any(s in value for s in separators):
        folded = norm.fold_space(value)
        expected = [folded] if folded else []
    else:
        expected = norm.unique(norm.fold_space(part) for part in re.split(pattern, value))
    assert norm.split_list(value, separators) == expected


BROKEN_BIBTEX = [
    sourcedata.BIBTEX,
    "@article{a,\n title={One}\n\n@article{b,\n title={Two}}\n@misc{c, title={Three}}\n",
    '@article{a, title="x}\n@article{a, title={y}}\n@book{b,\n',
    "@string{s = {S}}\n@article{x, author={A and B}, title=s}\n@article{x, title={dup}}\n",
    "junk @article{a,}\n  @misc (b, title = {T})\n@comment{c}\n@inproceedings{d, title={{\n",
]


@pytest.mark.parametrize("text", BROKEN_BIBTEX)
def test_bibtex_in_file_order_gives_what_sorting_gives(text: str) -> None:
    def blocks() -> deque[model.Block]:
        return deque(parse_string(text).blocks)  # afresh: reading a block may change it

    expected = bibtex.entry_lines(text)
    assert list(bibtex._in_file_order(blocks(), expected)) == bibtex._sorted(blocks(), expected)


def _first_then_rest(fmt: str, text: str) -> Iterator[object]:
    items = read(decode(text.encode(), f"f.{fmt}"), format_named(fmt))
    yield next(items)
    yield gc.isenabled()
    yield gc.get_freeze_count() > 0
    yield from items


@pytest.mark.parametrize(("fmt", "text"), [("ris", sourcedata.RIS), ("bibtex", sourcedata.BIBTEX)])
def test_parse_pauses_then_restores_the_collector(fmt: str, text: str) -> None:
    first, enabled, frozen, *rest = _first_then_rest(fmt, text)
    assert isinstance(first, RecordData)
    assert rest
    assert enabled  # collecting as usual while records are made ...
    assert frozen  # ... but not walking what the parser built
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    abandoned = read(decode(text.encode(), f"f.{fmt}"), format_named(fmt))
    assert isinstance(abandoned, Generator)
    next(abandoned)
    abandoned.close()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_parse_leaves_a_callers_collector_settings_alone() -> None:
    doc = decode(sourcedata.BIBTEX.encode(), "f.bib")
    gc.disable()
    try:
        assert list(read(doc, format_named("bibtex")))
        assert not gc.isenabled()
    finally:
        gc.enable()
    kept = [object()]
    gc.freeze()  # as a server may before forking: not ours to thaw
    try:
        assert list(read(doc, format_named("bibtex")))
        assert all(tracked is not kept for tracked in gc.get_objects())  # still frozen
    finally:
        gc.unfreeze()
    assert any(tracked is kept for tracked in gc.get_objects())  # (the check can see it)
