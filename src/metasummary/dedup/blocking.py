"""Blocking: which pairs are worth comparing, at a cost that grows about linearly.

Each record gets a few keys: its DOI, the first and the last characters of its title (a typo
spoils at most one of them), its first author with the year, and its volume with its first
page (for titles that are missing or in another language). Records sharing a key form a
block; a small block is compared in full, a large one (a common title, a prolific author)
only between neighbours in title order, so no block costs more than ``window`` comparisons
per record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from metasummary.dedup.entry import Entry

KEY_CHARS = 30
MAX_BLOCK = 24
WINDOW = 6


def _doi_key(e: Entry) -> str:
    return e.doi


def _title_start(e: Entry) -> str:
    return e.title.replace(" ", "")[:KEY_CHARS]


def _title_end(e: Entry) -> str:
    compact = e.title.replace(" ", "")
    return compact[-KEY_CHARS:] if len(compact) > KEY_CHARS else ""


def _author_year(e: Entry) -> str:
    if not e.first or e.year is None:
        return ""
    return f"{e.first}|{e.year}"


def _volume_page(e: Entry) -> str:
    if not e.volume or not e.pages[0]:
        return ""
    initial = e.first[:1]
    return f"{e.volume}|{e.pages[0]}|{initial}"


KEYS: tuple[Callable[[Entry], str], ...] = (
    _doi_key,
    _title_start,
    _title_end,
    _author_year,
    _volume_page,
)


def _block_pairs(
    members: list[int], entries: Sequence[Entry], reverse: bool
) -> Iterator[tuple[int, int]]:
    if len(members) <= MAX_BLOCK:
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                yield i, j
        return
    # Sorted neighbourhood: similar titles end up side by side.
    order = sorted(
        members, key=(lambda k: entries[k].title[::-1]) if reverse else (lambda k: entries[k].title)
    )
    for x, i in enumerate(order):
        for j in order[x + 1 : x + 1 + WINDOW]:
            yield i, j


def candidate_pairs(
    entries: Sequence[Entry], progress: Callable[[int], None] | None = None
) -> set[int]:
    """Candidate pairs as ``i * n + j`` with ``i < j`` (one int each keeps memory small)."""
    n = len(entries)
    pairs: set[int] = set()
    for step, key_of in enumerate(KEYS):
        blocks: dict[str, int | list[int]] = {}
        for index, entry in enumerate(entries):
            key = key_of(entry)
            if not key:
                continue
            held = blocks.get(key)
            if held is None:
                blocks[key] = index
            elif isinstance(held, list):
                held.append(index)
            else:
                blocks[key] = [held, index]
        reverse = key_of is _title_end
        for members in blocks.values():
            if isinstance(members, list):
                for i, j in _block_pairs(members, entries, reverse):
                    pairs.add(i * n + j if i < j else j * n + i)
        del blocks
        if progress is not None:
            progress(step + 1)
    return pairs
