"""Extraction field values: parsed from what a person typed, rendered back for a sheet.

Each field type of the protocol has one rule; a value that breaks it gives a message that
names the value and what would be accepted (``'intervew' is not one of interview, survey,
both, other``). ``unspecified`` is a value of its own where the field allows it, so "the paper
does not say" stays apart from "not filled in yet" (no value).
"""

from __future__ import annotations

import re
from typing import Any

from metasummary.protocol import ExtractionField, FieldType
from metasummary.synthesis.sheets import Cell

UNSPECIFIED = "unspecified"


class ValueProblem(ValueError):
    """A cell that does not fit its field; ``str()`` is the message."""


def choices_of(field: ExtractionField) -> list[str]:
    """The values a drop-down offers for the field (empty for free fields)."""
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        return [*field.choices, *([UNSPECIFIED] if field.allow_unspecified else [])]
    return []


def parse(field: ExtractionField, cell: Cell) -> Any:
    """The stored value of ``cell`` for ``field``; ``None`` for an empty cell."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    text = _text(cell)
    if text.casefold() == UNSPECIFIED:
        if field.allow_unspecified:
            return UNSPECIFIED
        raise ValueProblem(
            f"'{text}' is not allowed for {field.name} (its protocol entry has no "
            "allow_unspecified: true)"
        )
    if field.type is FieldType.INTEGER:
        return _integer(field, cell, text)
    if field.type is FieldType.CHOICE:
        return _choice(field, text)
    if field.type is FieldType.MULTI_CHOICE:
        return [_choice(field, part) for part in _split(text, r"[;\n]")]
    if field.type is FieldType.LIST:
        return _split(text, r"\n")
    return text


def render(field: ExtractionField, value: Any) -> Cell:
    """A stored value as a spreadsheet cell."""
    if value is None:
        return None
    if isinstance(value, list):
        joiner = "; " if field.type is FieldType.MULTI_CHOICE else "\n"
        return joiner.join(str(v) for v in value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _split(text: str, pattern: str) -> list[str]:
    return [part.strip() for part in re.split(pattern, text) if part.strip()]


def _integer(field: ExtractionField, cell: Cell, text: str) -> int:
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    hint = f" or {UNSPECIFIED}" if field.allow_unspecified else ""
    raise ValueProblem(f"'{text}' is not a whole number{hint}")


def _choice(field: ExtractionField, text: str) -> str:
    for choice in field.choices:
        if choice.casefold() == text.casefold():
            return choice
    raise ValueProblem(f"'{text}' is not one of {', '.join(choices_of(field))}")
