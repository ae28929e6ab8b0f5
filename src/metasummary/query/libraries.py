"""What each digital library accepts: one row per target, so a changed rule is one edit.

The facts come from each library's own search help (``help`` names the page; proximity:
Scopus "Proximity operators", IEEE Xplore "Command search examples", Engineering Village
"Proximity/Near operators", Web of Science "Search operators", PubMed "Proximity searching"
(2022), ACM DL advanced search "~n"). A library without a documented proximity operator has
none here. Libraries change
their rules; when one does, change its row here and the golden files under tests/golden.
"""

from __future__ import annotations

from dataclasses import dataclass

from metasummary.errors import InputError


@dataclass(frozen=True, slots=True)
class Library:
    id: str
    name: str
    help: str
    aliases: tuple[str, ...] = ()
    wildcard: bool = True
    """Takes a trailing ``*``."""
    min_stem: int = 1
    """Characters a wildcard needs before it."""
    wildcard_in_phrase: bool = True
    plurals: bool = False
    """Matches singular and plural forms by itself."""
    max_connectors: int | None = None
    """Boolean connectors (AND, OR, NOT) allowed in one search field."""
    max_terms: int | None = None
    """Search terms (words or phrases, counted per field they are searched in) per search."""
    max_wildcards: int | None = None
    """Terms with a wildcard per search."""
    proximity: str = ""
    """Two words within ``n`` words of each other, any order: a template with ``{a}``, ``{b}``
    and ``{n}``; empty when the library has no proximity operator."""


LIBRARIES: tuple[Library, ...] = (
    Library(
        "ieee",
        "IEEE Xplore (command search)",
        "IEEE Xplore help: Command Search, Search Tips (wildcards)",
        aliases=("ieeexplore", "ieee-xplore"),
        min_stem=3,
        # Command search caps the terms and the wildcards of one search.
        max_terms=25,
        max_wildcards=10,
        proximity="({a} NEAR/{n} {b})",
    ),
    Library(
        "acm",
        "ACM Digital Library",
        "ACM Digital Library: Advanced Search, Edit Search syntax",
        aliases=("acm-dl", "acmdl"),
        min_stem=3,
        proximity='"{a} {b}"~{n}',
    ),
    Library(
        "scopus",
        "Scopus (advanced search)",
        "Scopus help: Advanced search fields and operators (dev.elsevier.com Scopus search tips)",
        plurals=True,
        proximity="({a} W/{n} {b})",
    ),
    Library(
        "wos",
        "Web of Science Core Collection (advanced search)",
        "Web of Science help: Search rules, Wildcards, Field tags",
        aliases=("webofscience", "web-of-science"),
        min_stem=3,
        plurals=True,
        proximity="({a} NEAR/{n} {b})",
    ),
    Library(
        "sciencedirect",
        "ScienceDirect (advanced search)",
        "ScienceDirect support: Advanced search tips (connectors, phrases, no wildcards)",
        aliases=("science-direct", "elsevier"),
        wildcard=False,
        wildcard_in_phrase=False,
        plurals=True,
        max_connectors=8,
    ),
    Library(
        "springer",
        "SpringerLink",
        "SpringerLink: Search help",
        aliases=("springerlink", "springer-link"),
        wildcard_in_phrase=False,
    ),
    Library(
        "wiley",
        "Wiley Online Library (advanced search)",
        "Wiley Online Library: Advanced search help",
        aliases=("wiley-online-library",),
        min_stem=3,
        wildcard_in_phrase=False,
    ),
    Library(
        "engineeringvillage",
        "Engineering Village / Compendex (expert search)",
        "Engineering Village support: general rules for searching; Compendex search fields",
        aliases=("compendex", "ev", "engineering-village", "inspec"),
        proximity="({a} NEAR/{n} {b})",
    ),
    Library(
        "arxiv-api",
        "arXiv API (export.arxiv.org)",
        "arXiv API User's Manual: search_query construction",
        aliases=("arxiv",),
        wildcard_in_phrase=False,
    ),
    Library(
        "arxiv-web",
        "arXiv advanced search (arxiv.org/search)",
        "arXiv search help: advanced search, wildcards",
        aliases=("arxiv-search",),
        min_stem=2,
        wildcard_in_phrase=False,
    ),
    Library(
        "pubmed",
        "PubMed",
        "PubMed User Guide: search field tags, truncation, phrase searching",
        aliases=("medline",),
        min_stem=4,
        proximity='"{a} {b}"[tiab:~{n}]',
    ),
    Library(
        "openalex",
        "OpenAlex (works API)",
        "OpenAlex docs: Search entities (boolean search, stemming, no wildcards)",
        wildcard=False,
        wildcard_in_phrase=False,
        plurals=True,
    ),
    Library(
        "semanticscholar",
        "Semantic Scholar (bulk search API)",
        "Semantic Scholar Academic Graph API: paper bulk search query syntax",
        aliases=("s2", "semantic-scholar"),
        wildcard_in_phrase=False,
    ),
)


def library(name: str) -> Library:
    """The library called ``name`` (id or alias, any case); :class:`InputError` otherwise."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    for lib in LIBRARIES:
        if key == lib.id or key in lib.aliases:
            return lib
    known = ", ".join(lib.id for lib in LIBRARIES)
    raise InputError(f"library '{name}': not known; use one of {known}")
