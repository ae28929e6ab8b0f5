"""The browser tests skip without chromium locally, and fail instead where CI requires them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM_ENV, REQUIRE_BROWSER_ENV, find_chromium, unavailable


def test_missing_browser_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_BROWSER_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        unavailable("no chromium")


def test_missing_browser_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_BROWSER_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_BROWSER_ENV}=1 requires it"):
        unavailable("no chromium")


def test_chromium_can_be_pointed_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setenv(CHROMIUM_ENV, str(fake))
    assert find_chromium() == fake
