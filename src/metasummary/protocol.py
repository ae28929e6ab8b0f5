"""The review protocol: ``protocol.yaml``, its schema and its loading with located errors.

The file is written by people, so a mistake must be reported the way a person fixes it: one
line per problem with the line in the file and the field path
(``protocol.yaml:31: criteria.exclusion[2].code: duplicate code 'E2'``). Structural problems
come from pydantic; cross-field rules (unique codes, choices only on choice fields) are checked
on the raw data as well, so one run reports every mistake, not just the first layer of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum
from io import StringIO
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from metasummary.errors import ProtocolError
from metasummary.models import SourceKind

PROTOCOL_FILE = "protocol.yaml"
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"


class _Model(BaseModel):
    # Unknown keys are errors: a misspelt key would otherwise be silently ignored.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ResearchQuestion(_Model):
    id: str = Field(pattern=CODE_PATTERN)
    text: str = Field(min_length=1)


class Criterion(_Model):
    code: str = Field(pattern=CODE_PATTERN)
    text: str = Field(min_length=1)


class Criteria(_Model):
    inclusion: list[Criterion] = Field(default_factory=list)
    exclusion: list[Criterion] = Field(default_factory=list)
    allow_free_notes: bool = False
    """When true, an exclusion may give a note instead of a criterion code."""

    def codes(self) -> list[str]:
        return [c.code for c in (*self.inclusion, *self.exclusion)]

    def get(self, code: str) -> Criterion | None:
        return next((c for c in (*self.inclusion, *self.exclusion) if c.code == code), None)


class FieldScope(StrEnum):
    """Which part of a record a query group searches."""

    TITLE = "title"
    ABSTRACT = "abstract"
    KEYWORDS = "keywords"
    TITLE_ABSTRACT = "title-abstract"
    TITLE_ABSTRACT_KEYWORDS = "title-abstract-keywords"
    ALL = "all"


class QueryGroup(_Model):
    name: str = Field(min_length=1)
    label: str = ""
    terms: list[str] = Field(min_length=1)
    field: FieldScope = FieldScope.TITLE_ABSTRACT_KEYWORDS


class YearRange(_Model):
    start: int | None = Field(default=None, alias="from", ge=1000, le=2999)
    end: int | None = Field(default=None, alias="to", ge=1000, le=2999)


class Query(_Model):
    groups: list[QueryGroup] = Field(default_factory=list)
    not_: QueryGroup | None = Field(default=None, alias="not")
    years: YearRange | None = None


class ReportedCounts(_Model):
    """Counts a source reports that the project does not hold as records (see the report)."""

    identified: int | None = Field(default=None, ge=0)
    title_abstract: int | None = Field(default=None, ge=0)
    full_text: int | None = Field(default=None, ge=0)
    note: str = ""


class SourceSpec(_Model):
    name: str = Field(min_length=1)
    kind: SourceKind
    library: str = ""
    """A library id for query rendering (``ieee``, ``acm``, ``scopus`` ...), when it has one."""
    description: str = ""
    reported: ReportedCounts | None = None


class SeedPaper(_Model):
    title: str = Field(min_length=1)
    doi: str = ""
    abstract: str = ""
    note: str = ""
    """Why an earlier query draft missed it, in the reviewers' words."""


class FieldType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    CHOICE = "choice"
    MULTI_CHOICE = "multi-choice"
    LIST = "list"


class ExtractionField(_Model):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = ""
    type: FieldType = FieldType.TEXT
    choices: list[str] = Field(default_factory=list)
    allow_unspecified: bool = False
    description: str = ""


class Extraction(_Model):
    fields: list[ExtractionField] = Field(default_factory=list)


class Stage(_Model):
    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    order: int


class Reviewer(_Model):
    id: str = Field(pattern=CODE_PATTERN)
    name: str = ""
    email: str = ""


class PhaseSettings(_Model):
    mode: Literal["single", "dual"] = "single"
    pilot_size: int = Field(default=0, ge=0)


class Screening(_Model):
    title_abstract: PhaseSettings = Field(default_factory=PhaseSettings)
    full_text: PhaseSettings = Field(default_factory=PhaseSettings)


class QualityAnswer(_Model):
    answer: str = Field(min_length=1, max_length=64)
    score: float


class QualityQuestion(_Model):
    id: str = Field(pattern=CODE_PATTERN)
    text: str = Field(min_length=1)


def _default_scale() -> list[QualityAnswer]:
    return [
        QualityAnswer(answer="yes", score=1.0),
        QualityAnswer(answer="partly", score=0.5),
        QualityAnswer(answer="no", score=0.0),
    ]


class QualityChecklist(_Model):
    """The quality assessment: questions, one answer scale, and an optional threshold."""

    questions: list[QualityQuestion] = Field(default_factory=list)
    scale: list[QualityAnswer] = Field(default_factory=_default_scale)
    threshold: float | None = None
    """Papers scoring below this are left out of the meta-summary (an exclusion criterion)."""

    def score(self, answer: str) -> float | None:
        folded = answer.strip().casefold()
        return next((a.score for a in self.scale if a.answer.casefold() == folded), None)

    def question(self, qid: str) -> QualityQuestion | None:
        folded = qid.strip().casefold()
        return next((q for q in self.questions if q.id.casefold() == folded), None)

    @property
    def maximum(self) -> float:
        top = max((a.score for a in self.scale), default=0.0)
        return top * len(self.questions)


class Protocol(_Model):
    """A validated protocol; build it with :func:`load_protocol` or :func:`parse_protocol`."""

    title: str = Field(min_length=1)
    research_questions: list[ResearchQuestion] = Field(default_factory=list)
    criteria: Criteria = Field(default_factory=Criteria)
    query: Query = Field(default_factory=Query)
    sources: list[SourceSpec] = Field(default_factory=list)
    seed_papers: list[SeedPaper] = Field(default_factory=list)
    extraction: Extraction = Field(default_factory=Extraction)
    stages: list[Stage] = Field(default_factory=list)
    reviewers: list[Reviewer] = Field(default_factory=list)
    screening: Screening = Field(default_factory=Screening)
    quality: QualityChecklist = Field(default_factory=QualityChecklist)
    email: str = ""
    """A contact address: Unpaywall asks for one with every look-up (``fulltext fetch``)."""

    def source(self, name: str) -> SourceSpec | None:
        return next((s for s in self.sources if s.name == name), None)

    def ordered_stages(self) -> list[Stage]:
        return sorted(self.stages, key=lambda s: (s.order, s.code))


# -- loading -------------------------------------------------------------------------------

Loc = tuple[str | int, ...]


def load_protocol(path: Path) -> Protocol:
    """Read and validate ``path``; raise :class:`ProtocolError` with one line per problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProtocolError(
            f"{path}: no protocol here; run 'metasummary init' to create one"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{path}: cannot read the protocol ({exc})") from None
    return parse_protocol(text, name=str(path))


def parse_protocol(text: str, *, name: str = PROTOCOL_FILE) -> Protocol:
    """Validate protocol YAML ``text``; ``name`` is used in messages."""
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ProtocolError(f"{name}:{line}: not valid YAML: {exc.problem or exc}") from None
    if not isinstance(data, CommentedMap):
        raise ProtocolError(
            f"{name}:1: the protocol must be a mapping of keys (title, criteria, ...)"
        )

    problems: list[tuple[Loc, str]] = []
    protocol: Protocol | None = None
    try:
        protocol = Protocol.model_validate(_plain(data))
    except ValidationError as exc:
        for err in exc.errors():
            problems.append((tuple(err["loc"]), _describe(err)))
    problems.extend(_semantic_problems(data))
    if problems:
        seen: set[str] = set()
        lines: list[str] = []
        for loc, message in sorted(problems, key=lambda p: _line_of(data, p[0])):
            line = f"{name}:{_line_of(data, loc)}: {_dotted(loc)}: {message}"
            if line not in seen:
                seen.add(line)
                lines.append(line)
        count = len(lines)
        raise ProtocolError(
            f"{name}: {count} problem{'s' if count != 1 else ''} in the protocol",
            problems=lines,
        )
    assert protocol is not None
    return protocol


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers as plain dicts and lists, for pydantic."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _describe(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against the commented template)"
    if kind == "missing":
        return "required"
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err.get('input')!r} is not one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} must start with a letter and hold only letters, digits, _ . -"
    return str(err["msg"])


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def _line_of(data: Any, loc: Loc) -> int:
    """The 1-based line of the deepest node on ``loc`` that the YAML has."""
    line = 1
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _items(node: Any, key: str) -> Iterator[tuple[int, Any]]:
    value = node.get(key) if isinstance(node, dict) else None
    if isinstance(value, list):
        yield from enumerate(value)


def _duplicates(
    entries: Sequence[tuple[Loc, Any]], what: str, *, fold: bool = False
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for loc, value in entries:
        if not isinstance(value, str):
            continue
        key = value.strip().casefold() if fold else value.strip()
        if key in seen:
            problems.append((loc, f"duplicate {what} {value.strip()!r}"))
        seen.add(key)
    return problems


def _semantic_problems(data: CommentedMap) -> list[tuple[Loc, str]]:
    """Rules across fields, checked on raw data so they show beside structural problems."""
    problems: list[tuple[Loc, str]] = []
    criteria = data.get("criteria")
    codes: list[tuple[Loc, Any]] = []
    for group in ("inclusion", "exclusion"):
        for i, item in _items(criteria, group):
            if isinstance(item, dict):
                codes.append((("criteria", group, i, "code"), item.get("code")))
    problems += _duplicates(codes, "code")

    for key, what, attr in (
        ("research_questions", "question id", "id"),
        ("stages", "stage code", "code"),
        ("reviewers", "reviewer id", "id"),
        ("sources", "source name", "name"),
    ):
        entries = [
            ((key, i, attr), it.get(attr)) for i, it in _items(data, key) if isinstance(it, dict)
        ]
        problems += _duplicates(entries, what, fold=key == "sources")

    quality = data.get("quality")
    if isinstance(quality, dict):
        problems += _duplicates(
            [
                (("quality", "questions", i, "id"), q.get("id"))
                for i, q in _items(quality, "questions")
                if isinstance(q, dict)
            ],
            "question id",
            fold=True,
        )
        problems += _duplicates(
            [
                (("quality", "scale", i, "answer"), a.get("answer"))
                for i, a in _items(quality, "scale")
                if isinstance(a, dict)
            ],
            "answer",
            fold=True,
        )

    orders = [
        (("stages", i, "order"), str(it.get("order")))
        for i, it in _items(data, "stages")
        if isinstance(it, dict) and isinstance(it.get("order"), int)
    ]
    problems += _duplicates(orders, "stage order")

    query = data.get("query")
    groups = [
        ((("query", "groups", i, "name")), g.get("name"))
        for i, g in _items(query, "groups")
        if isinstance(g, dict)
    ]
    problems += _duplicates(groups, "group name")
    for i, group in _items(query, "groups"):
        if isinstance(group, dict):
            for j, term in _items(group, "terms"):
                if isinstance(term, str) and not term.strip():
                    problems.append((("query", "groups", i, "terms", j), "empty term"))
    years = query.get("years") if isinstance(query, dict) else None
    if isinstance(years, dict):
        start, end = years.get("from"), years.get("to")
        if isinstance(start, int) and isinstance(end, int) and start > end:
            problems.append(
                (("query", "years", "from"), f"year range {start}-{end} runs backwards")
            )

    extraction = data.get("extraction")
    fields = extraction.get("fields") if isinstance(extraction, dict) else None
    names = [
        (("extraction", "fields", i, "name"), f.get("name"))
        for i, f in enumerate(fields or [])
        if isinstance(f, dict)
    ]
    problems += _duplicates(names, "field name")
    for i, fld in enumerate(fields or []):
        if not isinstance(fld, dict):
            continue
        kind = fld.get("type", "text")
        choices = fld.get("choices")
        if kind in ("choice", "multi-choice"):
            if not choices:
                problems.append(
                    (("extraction", "fields", i, "choices"), f"a {kind} field needs choices")
                )
            elif isinstance(choices, list):
                problems += _duplicates(
                    [(("extraction", "fields", i, "choices", j), c) for j, c in enumerate(choices)],
                    "choice",
                    fold=True,
                )
        elif choices:
            problems.append(
                (
                    ("extraction", "fields", i, "choices"),
                    f"choices only apply to choice and multi-choice fields, not {kind}",
                )
            )
    return problems
