"""Rebuild the extracted part of ``src/metasummary/dedup/venue_aliases.csv``.

Usage: python scripts/venue_aliases.py EXPORT_FILE ... > aliases.csv

Reads real BibTeX exports and keeps each venue name that comes with its acronym: an ACM
Digital Library entry's ``series = {UCC '14}`` beside its ``booktitle``, and a proceedings
title that names its acronym in brackets (IEEE: ``2017 IEEE Symposium on Computers and
Communications (ISCC)``). Rows already in the table with ``seen_in`` other than
``extracted`` (the hand-checked names of widely used venues) are kept as they are.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "src/metasummary/dedup/venue_aliases.csv"
_FIELD = re.compile(r"^\s*(series|booktitle)\s*=\s*[{\"](.*?)[}\"]\s*,?\s*$", re.I | re.M)
_ENTRY = re.compile(r"^@", re.M)
_BRACKETED = re.compile(r"\(([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\)\s*$")
_SERIES = re.compile(r"^([A-Za-z][A-Za-z-]*[A-Z][A-Za-z-]*)(?:\s*'?\d{2,4})?(?:\s+\w+)?$")
_YEAR_EDITION = re.compile(
    r"^(proceedings of the\s+)?(\d{4}\s+)?((\d+(st|nd|rd|th)|first|second|third)\s+)?", re.I
)


def _name(booktitle: str) -> str:
    name = _BRACKETED.sub("", booktitle.replace("{", "").replace("}", "")).strip()
    return re.sub(r"\s+", " ", _YEAR_EDITION.sub("", name)).strip(" ,")


def extract(paths: list[Path]) -> set[tuple[str, str, str]]:
    rows = set()
    for path in paths:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for entry in _ENTRY.split(text):
            fields = {k.lower(): v.strip() for k, v in _FIELD.findall(entry)}
            booktitle = fields.get("booktitle", "")
            if not booktitle:
                continue
            bracketed = _BRACKETED.search(booktitle.replace("}", ""))
            series = _SERIES.match(fields.get("series", ""))
            acronym = (series.group(1) if series else "") or (
                bracketed.group(1) if bracketed else ""
            )
            if acronym:
                rows.add((acronym, _name(booktitle), f"extracted: {path.parent.name}/{path.name}"))
    return rows


def main() -> None:
    kept = []
    with TABLE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for row in csv.DictReader(lines):
        if not row["seen_in"].startswith("extracted"):
            kept.append((row["acronym"], row["name"], row["seen_in"]))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["acronym", "name", "seen_in"])
    writer.writerows(kept + sorted(extract([Path(p) for p in sys.argv[1:]])))


if __name__ == "__main__":
    main()
