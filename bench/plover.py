"""PLOVER gold-standard records (../shared/bench/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt).

Each record is one English sentence with one event: a PLOVER type (older names mapped:
DEMAND→REQUEST, DISAPPROVE→ACCUSE, INVESTIGATE→ACCUSE, FIGHT→ASSAULT), source and target actor
lists with CAMEO-style codes ("HUN", "USAGOV", "IGO", "JAP").  A record with two sources and no
target of a symmetric type ("Hungarian and Romanian officials agreed") is the pair of them;
otherwise every (source, target) combination is a gold item.

Scores: type + dyad (source and target country) P/R/F1 over items, and type-only accuracy: the
share of gold records whose type is among dyad's (non-negated) event types for that sentence.

The same scorer reads the hand-translated samples in bench/data/plover_{fr,es}_sample.jsonl
(one JSON object a line with the PLOVER record's id, text, lang, event, source, target).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations, product
from pathlib import Path

from common import SYMMETRIC, Item, Score, Sentence, country, event_items, match_sentence, run_dyad, score

GSR = Path("bench/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt")
OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT",
             "SACTION": "SANCTION"}
SAMPLES = Path(__file__).parent / "data"


def plover_type(name: str) -> str:
    return OLD_TYPES.get(name.upper(), name.upper())


def _codes(side: object) -> list[str | None]:
    """Countries of a gold side (a list of {actorText, code}; None, "" or a stray string: none)."""
    if not isinstance(side, list):
        return []
    return [country(a.get("code")) for a in side if isinstance(a, dict)]


def gold_items(record: dict) -> list[Item]:
    """The gold items of one PLOVER record."""
    etype = plover_type(record["event"])
    sources, targets = _codes(record.get("source")), _codes(record.get("target"))
    if not targets and len(sources) >= 2 and etype in SYMMETRIC:
        return [Item(etype, a, b) for a, b in combinations(sources, 2)]
    return [Item(etype, s, t) for s, t in product(sources or [None], targets or [None])]


def load_records(shared: Path) -> list[dict]:
    """The PLOVER GSR event records (the DOCUMENT header record left out)."""
    data = json.loads((shared / GSR).read_text(encoding="utf-8"))
    return [r for r in data if r.get("event") != "DOCUMENT" and r.get("text")]


def load_sample(lang: str) -> list[dict]:
    """A hand-translated sample (bench/data/plover_<lang>_sample.jsonl), comment lines skipped."""
    path = SAMPLES / f"plover_{lang}_sample.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def sentences(records: list[dict], lang: str = "en") -> list[Sentence]:
    """One benchmark sentence per distinct text; its gold items are all its records' items."""
    by_text: dict[str, Sentence] = {}
    for r in records:
        text = " ".join(r["text"].split())
        s = by_text.get(text)
        if s is None:
            s = by_text[text] = Sentence(r["id"], text, r.get("lang") or lang, r.get("date") or None, [],
                                         {"types": []})
        s.gold += gold_items(r)
        s.extra["types"].append(plover_type(r["event"]))
    return list(by_text.values())


@dataclass
class PloverResult:
    name: str
    dyad: Score
    type_only: Score
    type_accuracy: float
    records: int


def evaluate(name: str, sents: list[Sentence]) -> PloverResult:
    """Run dyad over the sentences and score them."""
    events = run_dyad(sents)
    dyad_results, type_results = [], []
    found = total = 0
    for s, evs in zip(sents, events, strict=True):
        pred = event_items(evs, "type")
        dyad_results.append(match_sentence(s.id, s.text, s.gold, pred))
        type_results.append(match_sentence(s.id, s.text, [Item(t, None, None) for t in set(s.extra["types"])],
                                           [Item(p.label, None, None) for p in pred]))
        kinds = {p.label for p in pred}
        total += len(s.extra["types"])
        found += sum(t in kinds for t in s.extra["types"])
    return PloverResult(name, score(name, dyad_results), score(name, type_results),
                        found / total if total else 0.0, total)
