"""The rules every pair of one duplicate group must pass, whether or not it was compared.

Groups grow by joining pairs, and a chain can link what its ends would refuse: "Reminiscences
on influential papers" of 1998 and 2003 joined through the years between them, an editorial
of issue 1 and one of issue 4 through issues 2 and 3. So before two groups are joined, every
record of one is checked against every record of the other; a join that breaks a rule is
not made, and its pair goes to a reviewer instead.
"""

from __future__ import annotations

from metasummary.dedup.entry import Entry
from metasummary.dedup.locators import Agreement, compare_issues, compare_pages, misplaced

MAX_YEARS = 1
"""Records further apart than this many years are not one paper (online first, then print)."""


def refusal(a: Entry, b: Entry) -> str:
    """Why ``a`` and ``b`` cannot be in one group, or ``""``."""
    if a.doi and b.doi and a.doi != b.doi:
        return "different DOIs"
    if a.year is not None and b.year is not None and abs(a.year - b.year) > MAX_YEARS:
        return f"published {abs(a.year - b.year)} years apart"
    same_doi = bool(a.doi) and a.doi == b.doi
    if same_doi:
        return ""
    if (
        a.volume
        and a.volume == b.volume
        and compare_issues(a.issue, b.issue) is Agreement.DIFFERENT
        and compare_pages(a.pages, b.pages) is not Agreement.SAME
    ):
        return "different issues of one volume"
    if (a.recurring or b.recurring) and not _one_item(a, b):
        return "a recurring title on different items"
    return ""


def _one_item(a: Entry, b: Entry) -> bool:
    """Volume and first page agree (the issue may be wrong on one side), or the numbers only
    sit in the wrong fields."""
    same_pages = compare_pages(a.pages, b.pages) is Agreement.SAME
    return (bool(a.volume) and a.volume == b.volume and same_pages) or misplaced(a, b)
