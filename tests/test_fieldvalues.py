from __future__ import annotations

from typing import Any

import pytest

from metasummary.protocol import ExtractionField, FieldType
from metasummary.synthesis.fieldvalues import ValueProblem, choices_of, parse, render
from metasummary.synthesis.sheets import Cell

STUDY_TYPE = ExtractionField(
    name="study_type", type=FieldType.CHOICE, choices=["interview", "survey", "both", "other"]
)
COUNT = ExtractionField(name="practitioners", type=FieldType.INTEGER, allow_unspecified=True)
PLAIN_COUNT = ExtractionField(name="teams", type=FieldType.INTEGER)
TOPICS = ExtractionField(name="topics", type=FieldType.MULTI_CHOICE, choices=["data", "model"])
RQS = ExtractionField(name="rqs", type=FieldType.LIST)
TEXT = ExtractionField(name="method", type=FieldType.TEXT)


@pytest.mark.parametrize(
    ("field", "cell", "value"),
    [
        (STUDY_TYPE, "Survey ", "survey"),
        (STUDY_TYPE, None, None),
        (STUDY_TYPE, "  ", None),
        (COUNT, 31, 31),
        (COUNT, 31.0, 31),
        (COUNT, "4,758", 4758),
        (COUNT, "Unspecified", "unspecified"),
        (TOPICS, "Data; model", ["data", "model"]),
        (RQS, "RQ1: why?\nRQ2: how?\n", ["RQ1: why?", "RQ2: how?"]),
        (TEXT, 12, "12"),
    ],
)
def test_parse(field: ExtractionField, cell: Cell, value: Any) -> None:
    assert parse(field, cell) == value


@pytest.mark.parametrize(
    ("field", "cell", "message"),
    [
        (STUDY_TYPE, "intervew", "'intervew' is not one of interview, survey, both, other"),
        (COUNT, "20+", "'20+' is not a whole number or unspecified"),
        (COUNT, 2.5, "'2.5' is not a whole number or unspecified"),
        (PLAIN_COUNT, "unspecified", "'unspecified' is not allowed for teams"),
        (TOPICS, "data; ops", "'ops' is not one of data, model"),
    ],
)
def test_parse_problems(field: ExtractionField, cell: Cell, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse(field, cell)
    assert str(caught.value).startswith(message)


def test_render_and_choices() -> None:
    assert render(RQS, ["a", "b"]) == "a\nb"
    assert render(TOPICS, ["data", "model"]) == "data; model"
    assert render(COUNT, None) is None
    assert choices_of(STUDY_TYPE) == ["interview", "survey", "both", "other"]
    with_unspecified = STUDY_TYPE.model_copy(update={"allow_unspecified": True})
    assert choices_of(with_unspecified)[-1] == "unspecified"
    assert choices_of(TEXT) == []
