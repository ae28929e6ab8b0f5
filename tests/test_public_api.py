"""The package's public surface is exactly what ``__all__`` names."""

from __future__ import annotations

import types

import metasummary


def test_all_lists_every_public_name() -> None:
    # The names load on first use: resolve every one, then nothing else may be public.
    for name in metasummary.__all__:
        assert getattr(metasummary, name) is not None
    assert set(metasummary.__all__) <= set(dir(metasummary))
    public = {
        name
        for name, value in vars(metasummary).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public | {"__version__"} == set(metasummary.__all__)


def test_core_does_not_import_faces() -> None:
    import subprocess
    import sys

    code = (
        "import sys, metasummary; from metasummary import Project; "
        "faces = ('metasummary.cli', 'metasummary.web', 'typer', 'fastapi'); "
        "bad = [m for m in sys.modules if m.startswith(faces)]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
