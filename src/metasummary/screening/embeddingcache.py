"""Sentence embeddings kept per record text, so a review encodes each text once.

Encoding is the slow part of ranking with embeddings (tens of records a second on one
core), so the vectors are kept in one ``.npz`` file per review, keyed by a digest of the
text: a new or changed record is encoded, every other one is read back. The file names the
model; a file written by another model is ignored and rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from metasummary.screening.features import text_digest

Encode = Callable[[Sequence[str]], npt.NDArray[np.float32]]


class EmbeddingCache:
    """Vectors by text digest, read from and written to ``path`` (``None``: memory only).

    Args:
        path: The cache file.
        model: Names the model and its settings; vectors of another model are not used.
        encode: Turns texts into unit-length vectors (rows in the order given).
    """

    def __init__(self, path: Path | None, model: str, encode: Encode) -> None:
        self.path = path
        self.model = model
        self._encode = encode
        self._vectors: dict[int, npt.NDArray[np.float32]] = {}
        self.encoded = 0
        """Texts encoded (not read from the file) by this object."""
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["model"]) != self.model:
                    return
                digests, vectors = data["digests"], data["vectors"]
                self._vectors = {int(d): v for d, v in zip(digests, vectors, strict=True)}
        except (OSError, ValueError, KeyError, TypeError):
            return  # damaged or outdated: rebuilt

    def vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One row per text, encoding only the texts not seen before."""
        digests = [text_digest(t) for t in texts]
        missing = {d: t for d, t in zip(digests, texts, strict=True) if d not in self._vectors}
        if missing:
            fresh = self._encode(list(missing.values()))
            self._vectors.update(zip(missing, np.asarray(fresh, dtype=np.float32), strict=True))
            self.encoded += len(missing)
            self._save()
        if not digests:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._vectors[d] for d in digests])

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        digests = np.fromiter(self._vectors, dtype=np.uint64, count=len(self._vectors))
        np.savez(
            tmp,
            model=np.array(self.model),
            digests=digests,
            vectors=np.vstack(list(self._vectors.values())),
        )
        tmp.replace(self.path)
