"""Builders for full-text tests: a review holding the records of ``../shared/data/pdfs`` (from
its ``index.csv``, the ground truth of which file is which paper), and small PDFs made in code
(an empty page, an encrypted one, a damaged one)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from tests.helpers import protocol_text

QUALITY = {
    "questions": [
        {"id": "Q1", "text": "Are the aims clearly stated?"},
        {"id": "Q2", "text": "Is the method described well enough to repeat it?"},
        {"id": "Q3", "text": "Are the findings supported by the data?"},
    ],
    "scale": [
        {"answer": "yes", "score": 1},
        {"answer": "partly", "score": 0.5},
        {"answer": "no", "score": 0},
    ],
}


def index_rows(pdfs: Path) -> list[dict[str, str]]:
    with (pdfs / "index.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(slots=True)
class PaperReview:
    project: Project
    ids: dict[str, int]
    """File name -> record id of its paper."""
    pdfs: Path


def paper_review(make_project: Callable[..., Project], pdfs: Path, **protocol: Any) -> PaperReview:
    """A review whose records are the papers of ``pdfs/index.csv`` (title, DOI, year), plus
    two decoys with near titles."""
    rows = index_rows(pdfs)
    project = make_project(protocol_text(quality=QUALITY, **protocol))
    items = [
        RecordData(title=r["title"], doi=r["doi"], year=int(r["year"]) if r["year"] else None)
        for r in rows
    ]
    items += [
        RecordData(title="Generalized Architectural Decision Records for Microservices"),
        RecordData(title="Energy Efficient Routing in Wireless Mesh Networks"),
    ]
    ids = project.add_records("IEEE", items, kind=SourceKind.LIBRARY)
    return PaperReview(project, {r["file"]: i for r, i in zip(rows, ids, strict=False)}, pdfs)


def include(project: Project, record_ids: list[int], reviewer: str = "R1") -> None:
    for record in record_ids:
        project.screening.decide(
            record, phase="title-abstract", reviewer=reviewer, verdict="include"
        )
        project.screening.decide(record, phase="full-text", reviewer=reviewer, verdict="include")


def minimal_pdf(trailer: bytes = b"") -> bytes:
    """A one-page PDF without text (a blank page: what a scan without OCR looks like)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer
    out += f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def encrypted_pdf() -> bytes:
    """A PDF under the standard security handler whose user password is not empty."""
    return minimal_pdf(
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <"
        + b"00" * 32
        + b"> /U <"
        + b"11" * 32
        + b"> /P -4 >> /ID [<"
        + b"22" * 16
        + b"> <"
        + b"22" * 16
        + b">] "
    )
