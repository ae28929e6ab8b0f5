"""Titles that recur: the same words on different items of one journal or proceedings.

A journal prints "Editor's Comments" in every issue, a magazine runs "Reminiscences on
influential papers" every year, a proceedings holds a tutorial and a paper of the same title.
Title, authors and venue all agree, yet the items differ: only volume, issue and pages (or a
DOI) tell them apart. A title counts as recurring when

- it reads like a column, an editorial or a notice (a list below: editor's notes, guest
  introductions, "Special issue on ...", book reviews, reminiscences, errata ...), or
- the data show it: records of one venue carry the title with different volumes, issues,
  first pages, or years more than one apart.

Recurring titles are linked only when volume, issue and pages agree, or the DOI does.
"""

from __future__ import annotations

from collections.abc import Sequence

from metasummary.dedup.entry import Entry
from metasummary.dedup.locators import Agreement, compare_issues, compare_pages, misplaced
from metasummary.dedup.venues import VenueMatch, compare_venues

# Groups of one title larger than this are checked against their first members only.
_CHECK = 24


def _different_items(a: Entry, b: Entry) -> bool:
    """Two records that cannot be one printed item (fields missing on a side say nothing;
    numbers shifted into the wrong fields, or a wrong issue beside the right pages, neither)."""
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return True
    if misplaced(a, b):
        return False
    pages = compare_pages(a.pages, b.pages)
    if a.volume and b.volume:
        if a.volume != b.volume:
            return True
        if pages is Agreement.SAME:
            return False
    return pages is Agreement.DIFFERENT or compare_issues(a.issue, b.issue) is Agreement.DIFFERENT


def _one_venue(a: Entry, b: Entry) -> bool:
    if not a.venue or not b.venue:
        return False
    match = compare_venues(a.venue, b.venue, a.kind, b.kind)
    return match in (VenueMatch.SAME, VenueMatch.SIMILAR) or bool(a.venue_ids & b.venue_ids)


def mark_recurring(entries: Sequence[Entry]) -> int:
    """Flag every entry whose title recurs (listed, or seen on different items of one
    venue); how many were flagged."""
    by_title: dict[str, int | list[int]] = {}
    for index, entry in enumerate(entries):
        if not entry.title:
            continue
        held = by_title.get(entry.title)
        if held is None:
            by_title[entry.title] = index
        elif isinstance(held, list):
            held.append(index)
        else:
            by_title[entry.title] = [held, index]
    for members in by_title.values():
        if isinstance(members, list) and _recurs([entries[k] for k in members]):
            for k in members:
                entries[k].recurring = True
    return sum(1 for e in entries if e.recurring)


def _recurs(group: list[Entry]) -> bool:
    if any(e.recurring for e in group):
        return True
    head = group[:_CHECK]
    for x, a in enumerate(head):
        for b in group[x + 1 :]:
            if _one_venue(a, b) and _different_items(a, b):
                return True
    return False
