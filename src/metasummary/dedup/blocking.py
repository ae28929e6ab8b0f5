"""Blocking: which pairs are worth comparing, at a cost that grows about linearly.

Each record gets a few keys: its DOI, the first and the last characters of its title (a typo
spoils at most one of them), its first author with the year and its alphabetically first
author with the year (so a list in another order still meets), and its volume with its first
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


def key_columns(entries: Sequence[Entry]) -> Iterator[tuple[list[str], bool]]:
    """Each blocking key for every entry (``""`` for none), and whether to sort its large
    blocks by reversed title. One list at a time keeps memory flat."""
    yield [e.doi for e in entries], False
    compact = [e.title.replace(" ", "") for e in entries]
    yield [c[:KEY_CHARS] for c in compact], False
    yield [c[-KEY_CHARS:] if len(c) > KEY_CHARS else "" for c in compact], True
    del compact
    yield [f"{e.first}|{e.year}" if e.first and e.year is not None else "" for e in entries], False
    # The alphabetically first author: the same block whatever order a library lists them in.
    yield (
        [f"{e.least}|{e.year}" if e.least and e.year is not None else "" for e in entries],
        False,
    )
    yield (
        [
            f"{e.volume}|{e.pages[0]}|{e.first[:1]}" if e.volume and e.pages[0] else ""
            for e in entries
        ],
        False,
    )


KEY_COUNT = 6


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
    for step, (keys, reverse) in enumerate(key_columns(entries)):
        blocks: dict[str, int | list[int]] = {}
        for index, key in enumerate(keys):
            if not key:
                continue
            held = blocks.get(key)
            if held is None:
                blocks[key] = index
            elif isinstance(held, list):
                held.append(index)
            else:
                blocks[key] = [held, index]
        del keys
        for members in blocks.values():
            if isinstance(members, list):
                for i, j in _block_pairs(members, entries, reverse):
                    pairs.add(i * n + j if i < j else j * n + i)
        del blocks
        if progress is not None:
            progress(step + 1)
    return pairs
