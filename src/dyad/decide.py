"""The learned layer: which proposed events to keep, and how sure we are of each.

The language packs and the parse propose events (`events.py`); this stage decides.  For every
proposed event it computes a small set of features of the record itself (type, language, how its
actors were found, their kinds and countries, date, evidence, what else the sentence holds), and
how much its evidence sentence reads like an event of its type (`sentence_types`: P(type |
sentence) on multilingual embeddings, so what the gold teaches in one language carries over), and
applies a logistic model trained on development gold (`make train`, `bench/train.py`).  The
model's probability becomes the event's `confidence` (calibrated: of events at 0.7, about 70% are
right on held-out articles; BENCHMARKS.md has the reliability table), and events below the
model's threshold are dropped.

The model is a JSON file of weights (`data/event_scorer.json`), applied in Python and numpy: no
training library is needed at run time, and the same input always gives the same output.
Set ``DYAD_DECIDE=off`` to get the rules' raw proposals (what training reads).
"""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from importlib import resources
from typing import Any

from dyad import sentence_types
from dyad.ontology import TYPES
from dyad.records import Actor, Article, Event

MODEL_FILE = "event_scorer.json"
KINDS = ("person", "state", "org", "group")
LANGS = ("en", "fr", "es")
QUOTE_MARKS = ('"', "«", "»", "“", "”")


def _kind(actor: Actor | None) -> str:
    return "none" if actor is None else (actor.kind if actor.kind in KINDS else "other")


def features(event: Event, article: Article, sentence: dict[str, float] | None = None) -> dict[str, float]:
    """The features of one proposed event in its article (names as in the model file);
    `sentence`: P(type | its evidence sentence) for every type (`sentence_types`), when known."""
    f: dict[str, float] = {"bias": 1.0}
    if sentence:
        f.update(sentence_features(event.type, sentence))
    f[f"type={event.type}"] = 1.0
    f[f"quad={TYPES[event.type].quad}" if event.type in TYPES else "quad=?"] = 1.0
    f[f"lang={article.lang if article.lang in LANGS else 'other'}"] = 1.0
    f[f"rule_conf={event.confidence:.1f}"] = 1.0
    src, tgt = event.source, event.target
    f[f"src_kind={_kind(src)}"] = 1.0
    f[f"tgt_kind={_kind(tgt)}"] = 1.0
    f[f"kinds={_kind(src)}>{_kind(tgt)}"] = 1.0
    sc, tc = (src.country if src else None), (tgt.country if tgt else None)
    f["src_no_country"] = float(src is not None and not sc)
    f["tgt_no_country"] = float(tgt is not None and not tc)
    f["src_igo"] = float(sc == "IGO")
    f["tgt_igo"] = float(tc == "IGO")
    f["same_country"] = float(bool(sc) and sc == tc)
    f["src_has_title"] = float(bool(src and src.title))
    f["date_none"] = float(event.date is None)
    f["date_inferred"] = float(event.date_inferred)
    f["mode"] = float(bool(event.mode))
    f["negated"] = float(event.negated)
    f["mentions_log"] = math.log1p(len(event.evidence))
    words = event.trigger.replace("…", " ").split()
    f["trigger_words"] = float(min(len(words), 4))
    f["reported_demand"] = float("…" in event.trigger)
    text = article.text or ""
    first = event.evidence[0] if event.evidence else None
    if first is not None:
        f["position"] = first.start / max(len(text), 1)
        f["first_sentence"] = float(first.start <= 5)
        f["sentence_len_log"] = math.log1p(len(first.text)) / 6.0
        f["quoted"] = float(any(m in first.text for m in QUOTE_MARKS))
        same = sum(1 for e in article.events if e.evidence and e.evidence[0].start == first.start)
        f["events_in_sentence"] = float(min(same, 5))
    f["events_in_article_log"] = math.log1p(len(article.events)) / 3.0
    if event.cues:  # a positional proposal's description (`pairs.py`)
        f.update(event.cues)
        quad = TYPES[event.type].quad if event.type in TYPES else "?"
        for k in [k for k in event.cues if k.startswith(("pair:rels=", "pair:sides=", "pair:s_prep=", "pair:t_prep="))]:
            f[f"{quad}:{k}"] = 1.0
        f[f"pair:src_kind={_kind(src)}:{quad}"] = 1.0
        f[f"pair:tgt_kind={_kind(tgt)}:{quad}"] = 1.0
        ids = {event.source.id if event.source else None, event.target.id if event.target else None}
        f["pair:dup_rule"] = float(any(
            not e.cues and e.type == event.type and ids & {e.source.id if e.source else None,
                                                           e.target.id if e.target else None} - {None}
            for e in article.events))
    return f


@lru_cache(maxsize=1)
def _model() -> dict[str, Any] | None:
    try:
        text = resources.files("dyad").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text)


def enabled() -> bool:
    return os.environ.get("DYAD_DECIDE", "on").lower() not in {"off", "0", "false", "no"} and _model() is not None


def probability(feats: dict[str, float], model: dict[str, Any], table: str = "weights") -> float:
    return _logistic(_z(feats, model[table]))


def _logistic(z: float) -> float:
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def proposal_group(event: Event) -> tuple:
    """The trigger a positional proposal belongs to: its pairs compete, one at most is kept."""
    first = event.evidence[0].start if event.evidence else -1
    return (first, event.trigger, event.type)


def sentence_features(etype: str, sentence: dict[str, float]) -> dict[str, float]:
    """The features a proposal of type `etype` takes from P(type | its sentence) (`sentence`)."""
    p = sentence.get(etype, 0.0)
    return {"sent:p": p, "sent:logit": sentence_types.logit(p) / 5.0,
            "sent:top": float(max(sentence, key=lambda t: sentence[t]) == etype), "sent:max": max(sentence.values())}


# the range of each sentence feature: what it can add to an event's score at most
SENTENCE_RANGES = {"sent:p": (0.0, 1.0), "sent:logit": (sentence_types.logit(0.0) / 5.0, sentence_types.logit(1.0) / 5.0),
                   "sent:top": (0.0, 1.0), "sent:max": (0.0, 1.0)}


def _sentence_gain(weights: dict[str, float]) -> float:
    """The most the sentence features can add to a score under `weights` (never negative)."""
    return sum(max(w * lo, w * hi) for k, (lo, hi) in SENTENCE_RANGES.items() if (w := weights.get(k, 0.0)))


def _z(feats: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


def sentence_scores(article: Article, model: dict[str, Any] | None,
                    only: set[int] | None = None) -> dict[int, dict[str, float]]:
    """P(type | sentence) for the evidence sentence of each proposed event (of those starting at
    `only`, when given), by its start offset (empty when the model has no sentence-type table)."""
    if not model or "sentence_types" not in model:
        return {}
    firsts = {e.evidence[0].start: e.evidence[0].text for e in article.events
              if e.evidence and (only is None or e.evidence[0].start in only)}
    starts = sorted(firsts)
    probs = sentence_types.probabilities(sentence_types.embed([firsts[s] for s in starts]), model["sentence_types"])
    return dict(zip(starts, probs, strict=True))


def _table(event: Event) -> tuple[str, str]:
    """The model table and threshold that judge `event`."""
    return ("pair_weights", "pair_threshold") if "pair" in event.cues else ("weights", "threshold")


def _undecided(article: Article, model: dict[str, Any], base: list[dict[str, float]]) -> set[int]:
    """The evidence sentences worth embedding: those of events (with their features `base`, no
    sentence's) that the best their sentence could say would lift to their threshold.  The
    others are dropped whatever it says, so embedding them (the layer's dearest step) changes
    nothing."""
    out: set[int] = set()
    for event, feats in zip(article.events, base, strict=True):
        table, threshold = _table(event)
        weights = model.get(table)
        if not event.evidence or weights is None:
            continue
        if _logistic(_z(feats, weights) + _sentence_gain(weights)) >= float(model.get(threshold, 0.5)):
            out.add(event.evidence[0].start)
    return out


def decide(article: Article) -> Article:
    """Score every proposed event; keep the rules' events at or above the model's threshold and,
    of each trigger's positional pairs (`pairs.py`), the likeliest when it reaches the pair
    model's threshold; the model's probability becomes their confidence."""
    if not article.events or not enabled():
        return article
    model = _model()
    assert model is not None
    kept: list[Event] = []
    best: dict[tuple, tuple[float, Event]] = {}
    base = [features(event, article) for event in article.events]
    sentences = sentence_scores(article, model, _undecided(article, model, base))
    for event, feats in zip(article.events, base, strict=True):
        sentence = sentences.get(event.evidence[0].start) if event.evidence else None
        if sentence:
            feats = {**feats, **sentence_features(event.type, sentence)}
        if "pair" in event.cues:
            if "pair_weights" not in model:
                continue
            p = probability(feats, model, "pair_weights")
            group = proposal_group(event)
            if p >= float(model.get("pair_threshold", 0.5)) and (group not in best or p > best[group][0]):
                best[group] = (p, event)
        else:
            p = probability(feats, model)
            if p >= float(model.get("threshold", 0.5)):
                event.confidence = round(p, 3)
                kept.append(event)
    for p, event in best.values():
        event.confidence = round(p, 3)
        kept.append(event)
    order = {id(e): n for n, e in enumerate(article.events)}
    article.events = sorted(kept, key=lambda e: order[id(e)])
    return article
