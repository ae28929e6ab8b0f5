"""Random and mutated input: every reader fails only with ImportFileError, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metasummary.errors import ImportFileError
from metasummary.sources import FORMATS, Format, ReadOptions, decode, read, sniff
from tests import sourcedata

# Randomness comes from the suite's profile (tests/conftest.py): the same examples on every
# run, 40 per reader; HYPOTHESIS_PROFILE=explore draws new ones, as many as it says.
FUZZ = settings(
    max_examples=settings().max_examples
    if os.environ.get("HYPOTHESIS_PROFILE") == "explore"
    else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SEEDS = [
    sourcedata.RIS,
    sourcedata.BIBTEX,
    sourcedata.CSV_GENERIC,
    sourcedata.NBIB,
    sourcedata.ENW,
    sourcedata.WOS_TAB,
    sourcedata.SCOPUS_2023,
]


def read_any(data: bytes, fmt: Format | None) -> None:
    """Decode, sniff (unless given) and read everything; only ImportFileError may escape."""
    try:
        doc = decode(data, "fuzz")
        chosen = fmt or sniff(doc)
        for _item in read(doc, chosen, ReadOptions()):
            pass
    except ImportFileError:
        pass


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(fmt: Format, data: bytes) -> None:
    read_any(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@FUZZ
@given(text=st.text(alphabet=st.sampled_from('TYER -@{}",;\t\n%PMID<>[]:abc0129\\'), max_size=400))
def test_random_format_like_text(fmt: Format, text: str) -> None:
    read_any(text.encode("utf-8"), fmt)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "flip"]))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 300))]
        elif kind == "truncate":
            del data[at:]
        else:
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


@FUZZ
@given(data=st.data())
def test_mutated_small_files(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS)).encode("utf-8")
    read_any(data.draw(mutated(seed)), None)


def _real_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "exports").glob("*/*") if p.name != "provenance.json")


@FUZZ
@given(data=st.data())
def test_mutated_real_files(shared_data: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_real_files(shared_data)))
    original = path.read_bytes()
    if len(original) > 60000:  # keep each example quick: mutate a head of the file
        original = original[:60000]
    mutant = data.draw(mutated(original))
    read_any(mutant, None)
    for fmt in FORMATS:
        read_any(mutant, fmt)
