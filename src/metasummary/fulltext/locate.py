"""Finding a quote in a paper's pages, tolerant of how PDFs set text.

A quote and the pages are compared as skeletons (:class:`~.text.Skeleton`: letters and
digits, folded), so line breaks, hyphenation, ligatures, curly quotes and split accents do
not stand in the way; the place found is mapped back to the page's original text. When the
quote is not there, the closest passage (rapidfuzz's partial-ratio alignment, page by page)
says what the paper has instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from metasummary.fulltext.text import Skeleton, fold, search_text

MIN_QUOTE = 8
"""A quote with fewer letters and digits than this is too short to place."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a passage is: page (1-based) and offsets in that page's text."""

    page: int
    start: int
    end: int
    score: float = 100.0
    """100 when the quote is there letter for letter; else how close the passage is."""
    passage: str = ""

    @property
    def exact(self) -> bool:
        return self.score >= 100.0

    def to_dict(self) -> dict[str, object]:
        return {
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 1),
            "passage": self.passage,
        }


class PageIndex:
    """The skeletons of a document's pages, joined, to find quotes in."""

    def __init__(self, pages: Sequence[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in pages]
        self.texts = [text for _, text in pages]
        self.skeletons = [Skeleton.of(text) for text in self.texts]
        self.starts: list[int] = []
        at = 0
        for skeleton in self.skeletons:
            self.starts.append(at)
            at += len(skeleton.text)
        self.joined = "".join(s.text for s in self.skeletons)

    def _place(self, start: int, end: int, score: float = 100.0) -> Place:
        index = bisect_right(self.starts, start) - 1
        skeleton = self.skeletons[index]
        local_start = start - self.starts[index]
        local_end = min(end - self.starts[index], len(skeleton.text))
        first, last = skeleton.span(local_start, local_end)
        text = self.texts[index]
        if score < 100.0:  # a near passage: shown from word to word
            while first > 0 and not text[first - 1].isspace():
                first -= 1
            while last < len(text) and not text[last].isspace():
                last += 1
        passage = " ".join(search_text(text[first:last]).split())
        return Place(self.numbers[index], first, last, score, passage)

    def find(self, quote: str, *, page: int | None = None) -> Place | None:
        """Where ``quote`` is, letter for letter (as skeletons); on ``page`` first when given.

        A quote running over a page break is placed on the page it starts on, up to that
        page's end.
        """
        needle = fold(quote)
        if len(needle) < MIN_QUOTE:
            return None
        if page is not None and page in self.numbers:
            index = self.numbers.index(page)
            at = self.skeletons[index].text.find(needle)
            if at >= 0:
                start = self.starts[index] + at
                return self._place(start, start + len(needle))
        at = self.joined.find(needle)
        if at < 0:
            return None
        return self._place(at, at + len(needle))

    def closest(self, quote: str) -> Place | None:
        """The passage most like ``quote`` (page by page), with its similarity (0-100)."""
        needle = fold(quote)
        if len(needle) < MIN_QUOTE:
            return None
        best: tuple[float, int, int, int] | None = None
        for index, skeleton in enumerate(self.skeletons):
            if not skeleton.text:
                continue
            found = fuzz.partial_ratio_alignment(needle, skeleton.text)
            if found is None:
                continue
            if best is None or found.score > best[0]:
                best = (found.score, index, found.dest_start, found.dest_end)
        if best is None:
            return None
        score, index, start, end = best
        if end <= start:
            return None
        base = self.starts[index]
        return self._place(base + start, base + end, min(score, 99.9))
