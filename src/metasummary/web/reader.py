"""What the full-text reader shows beside the PDF: the paper, its votes as the reviewer may
see them, the criteria keys, its findings with their pages, and the quality checklist.

The title/abstract votes come from ``project.screening.view``, so blind dual screening holds
in the reader as on the screening desk: a reviewer sees others' votes only once every
required vote is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.views import RecordView
from metasummary.store.fulltexts import FulltextRow
from metasummary.web.screencard import CriterionKey, criterion_keys


@dataclass(frozen=True, slots=True)
class ReaderFinding:
    id: int
    text: str
    kind: str
    location: str
    page: int | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind,
            "location": self.location,
            "page": self.page,
            "status": self.status,
        }


@dataclass(slots=True)
class ReaderView:
    record_id: int
    title: str
    reviewer: str
    fulltext: FulltextRow | None
    title_abstract: RecordView | None
    full_text: RecordView | None
    criteria: list[CriterionKey]
    findings: list[ReaderFinding] = field(default_factory=list)
    quality: dict[str, str] = field(default_factory=dict)
    """The reviewer's own answers (question -> answer)."""
    empty_pages: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        ft = self.fulltext
        return {
            "record_id": self.record_id,
            "title": self.title,
            "reviewer": self.reviewer,
            "fulltext": None
            if ft is None
            else {
                "id": ft.id,
                "version": ft.version,
                "file": ft.file_name,
                "pages": ft.pages,
                "empty_pages": self.empty_pages,
                "pdf_url": f"/fulltext/{self.record_id}/pdf",
            },
            "title_abstract": self.title_abstract.to_dict() if self.title_abstract else None,
            "full_text": self.full_text.to_dict() if self.full_text else None,
            "findings": [f.to_dict() for f in self.findings],
            "quality": dict(self.quality),
        }


def reader_view(project: Project, record_id: int, reviewer: str) -> ReaderView:
    """The reader's side panel for ``record_id`` as ``reviewer`` ('' = nobody chosen) sees it."""
    record = project.record(record_id)
    paper = project.fulltexts.current(record_id)
    ta = ft = None
    if reviewer:
        ta = project.screening.view(record_id, phase=Phase.TITLE_ABSTRACT, viewer=reviewer)
        ft = project.screening.view(record_id, phase=Phase.FULL_TEXT, viewer=reviewer)
    root = ta.group if ta is not None else record_id
    statuses = {
        s.finding_id: s for s in project.fulltexts.quotes.check(record_id=root, closest=False)
    }
    findings = []
    for f in project.synthesis.findings.find(record_id=root):
        status = statuses.get(f.id)
        page = status.place.page if status is not None and status.place is not None else None
        findings.append(
            ReaderFinding(f.id, f.text, f.kind, f.location, page, status.status if status else "")
        )
    answers: dict[str, str] = {}
    if reviewer and project.protocol.quality.questions:
        mine = project.fulltexts.quality.paper(root)
        answers = {q: by[reviewer] for q, by in mine.answers.items() if reviewer in by}
    return ReaderView(
        record_id=root,
        title=record.data.title,
        reviewer=reviewer,
        fulltext=paper,
        title_abstract=ta,
        full_text=ft,
        criteria=criterion_keys(project),
        findings=findings,
        quality=answers,
        empty_pages=list(paper.details.get("empty_pages", [])) if paper else [],
    )
