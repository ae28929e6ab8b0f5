"""Which library a file came from, as its content says: what an import is routed by.

A library's own export format names it (an IEEE Xplore CSV, a Scopus CSV, Web of Science
plain text). A shared format names it only when the library wrote a marker into it: RIS's
``DB`` (name of database) and ``DP`` (database provider) tags, the ``acmid`` field of ACM's
BibTeX, the "Scopus / EXPORT DATE" lines Scopus puts before its BibTeX, Web of Science's
``WOS:`` ids, a record link into the library's own site. A publisher is no marker: a
library indexes papers of many publishers (ACM lists IEEE papers). A file without a marker
names no library, and the import asks where it goes.
"""

from __future__ import annotations

import re
from collections import Counter

from metasummary.sources.registry import SNIFF_BYTES, Format
from metasummary.sources.text import Document

# Names a library gives itself in RIS DB / DP tags, lower-cased, to its library id.
_DATABASE_NAMES: tuple[tuple[str, str], ...] = (
    ("scopus", "scopus"),
    ("web of science", "wos"),
    ("isi web of knowledge", "wos"),
    ("ieee xplore", "ieee"),
    ("ieeexplore", "ieee"),
    ("acm digital library", "acm"),
    ("acm dl", "acm"),
    ("sciencedirect", "sciencedirect"),
    ("science direct", "sciencedirect"),
    ("springerlink", "springer"),
    ("springer link", "springer"),
    ("wiley online library", "wiley"),
    ("pubmed", "pubmed"),
    ("medline", "pubmed"),
    ("engineering village", "engineeringvillage"),
    ("compendex", "engineeringvillage"),
    ("arxiv", "arxiv"),
)
_RIS_DATABASE = re.compile(r"^(?:DB|DP)  - (.+?)\s*$", re.MULTILINE)
_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*acmid\s*=", re.MULTILINE | re.IGNORECASE), "acm"),
    (re.compile(r"\A\W*Scopus\s*\n\s*EXPORT DATE", re.IGNORECASE), "scopus"),
    (re.compile(r"unique-id\s*=\s*\{*\s*(?:WOS|ISI):", re.IGNORECASE), "wos"),
    (re.compile(r"^@\w+\{\s*(?:WOS|ISI):", re.MULTILINE | re.IGNORECASE), "wos"),
)
# A record's link into the library's own site (RIS UR, BibTeX url).
_SITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"https?://(?:www\.)?scopus\.com/", re.IGNORECASE), "scopus"),
    (re.compile(r"https?://ieeexplore\.ieee\.org/", re.IGNORECASE), "ieee"),
    (re.compile(r"https?://dl\.acm\.org/", re.IGNORECASE), "acm"),
    (re.compile(r"https?://(?:www\.)?sciencedirect\.com/", re.IGNORECASE), "sciencedirect"),
    (re.compile(r"https?://(?:www\.)?webofscience\.com/", re.IGNORECASE), "wos"),
    (re.compile(r"https?://link\.springer\.com/", re.IGNORECASE), "springer"),
    (re.compile(r"https?://onlinelibrary\.wiley\.com/", re.IGNORECASE), "wiley"),
)


def database_library(name: str) -> str:
    """The library id a database name (a RIS ``DB`` value) stands for, or ''."""
    text = name.strip().lower()
    return next((lib for known, lib in _DATABASE_NAMES if known in text), "")


def named_libraries(doc: Document, fmt: Format) -> list[str]:
    """The libraries ``doc``'s content names, most often named first.

    A format of one library names it alone. Otherwise the explicit markers count; links
    into a library's site count only when there is no marker (a Scopus export links to
    Scopus on every record, but a reference list may link anywhere).
    """
    if fmt.library:
        return [fmt.library]
    head = doc.text[:SNIFF_BYTES]
    named: Counter[str] = Counter()
    for value in _RIS_DATABASE.findall(head):
        if library := database_library(value):
            named[library] += 1
    for pattern, library in _MARKERS:
        named[library] += len(pattern.findall(head))
    if not +named:
        for pattern, library in _SITES:
            named[library] += len(pattern.findall(head))
    return [library for library, count in named.most_common() if count]
