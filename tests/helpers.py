"""Small builders for test data: protocols and projects made in code, not binary fixtures."""

from __future__ import annotations

import copy
import threading
from io import StringIO
from typing import Any

import pytest
from ruamel.yaml import YAML

BASE_PROTOCOL: dict[str, Any] = {
    "title": "Test review",
    "research_questions": [{"id": "RQ1", "text": "What are the challenges?"}],
    "criteria": {
        "inclusion": [{"code": "I1", "text": "About SE for ML."}],
        "exclusion": [
            {"code": "E1", "text": "Model-centric."},
            {"code": "E2", "text": "Non-technical people only."},
        ],
    },
    "query": {
        "groups": [
            {"name": "A", "terms": ["machine learning", "deep learning"]},
            {"name": "B", "terms": ["software engineering"]},
        ]
    },
    "sources": [{"name": "IEEE", "kind": "library", "library": "ieee"}],
    "stages": [{"code": "REQ", "label": "Requirements", "order": 1}],
    "reviewers": [{"id": "R1"}, {"id": "R2"}],
}


def protocol_data(**overrides: Any) -> dict[str, Any]:
    """A valid protocol as a dict, with top-level keys replaced by ``overrides``."""
    return {**copy.deepcopy(BASE_PROTOCOL), **overrides}


def to_yaml(data: dict[str, Any]) -> str:
    out = StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return out.getvalue()


def protocol_text(**overrides: Any) -> str:
    """A valid protocol as YAML, with top-level keys replaced by ``overrides``."""
    return to_yaml(protocol_data(**overrides))


def announce_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> threading.Event:
    """Replace ``owner.name`` by the same call that first sets the event returned: a test
    learns that a request reached it (and may be waiting inside it)."""
    started = threading.Event()
    original = getattr(owner, name)

    def announced(*args: Any, **kwargs: Any) -> Any:
        started.set()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, announced)
    return started
