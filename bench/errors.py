"""Error classes of dyad's output against a gold file (RECORDS.md format, seeds' gold conventions).

Usage:
    .venv/bin/python bench/errors.py GOLD.jsonl PRED.jsonl INPUTS.jsonl [--list CLASS]

Every required gold event the scorer does not match strictly is put in one class, by what dyad
predicted in the sentence of the gold evidence:
  missed trigger   no dyad event at all in that sentence
  wrong type       dyad events there, none of the gold type (or an alt type)
  wrong source     the gold type there, the target right but the source wrong
  wrong target     the gold type there, the source right but the target wrong
  wrong actors     the gold type there, both actors wrong
Every dyad event the scorer does not match is one of:
  spurious         no gold event (required or optional) in its sentence
  wrong type       gold events in its sentence, none of its type
  wrong actors     a gold event of its type in its sentence, other actors
On strictly matched events: wrong date.  Quotes: quote missed (no dyad quote whose text overlaps
the gold text), quote misattributed (overlapping text, wrong speaker), spurious quote.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("dyad_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _jsonl(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out[str(obj["id"])] = obj
    return out


def _span(text: str, evidence) -> tuple[int, int] | None:
    """The character span of an evidence (a string in gold, a list of {text,start,end} in output)."""
    if isinstance(evidence, list):
        spans = [(e.get("start"), e.get("end")) for e in evidence if isinstance(e, dict)]
        spans = [s for s in spans if isinstance(s[0], int) and isinstance(s[1], int)]
        if spans:
            return spans[0]
        evidence = " ".join(e.get("text", "") for e in evidence if isinstance(e, dict))
    if not isinstance(evidence, str) or not evidence:
        return None
    i = text.find(evidence)
    if i < 0:
        i = text.find(evidence[:40])
        if i < 0:
            return None
    return i, i + len(evidence)


def _all_spans(text: str, evidence) -> list[tuple[int, int]]:
    if isinstance(evidence, list):
        return [(e["start"], e["end"]) for e in evidence
                if isinstance(e, dict) and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]
    s = _span(text, evidence)
    return [s] if s else []


def _sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a span to the sentence(s) around it (a simple splitter: . ! ? or a blank line)."""
    a, b = span
    while a > 0 and not (text[a - 1] in ".!?\n" and (a >= len(text) or text[a] in " \n")):
        a -= 1
    while b < len(text) and not (text[b - 1] in ".!?" and text[b] in " \n"):
        b += 1
    return a, b


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def classify(gold: dict[str, dict], pred: dict[str, dict], inputs: dict[str, dict], score) -> dict:
    counts: Counter = Counter()
    listing: dict[str, list[str]] = {}

    def note(cls: str, aid: str, item: dict) -> None:
        counts[cls] += 1
        listing.setdefault(cls, []).append(f"{aid}  {json.dumps(_brief(item), ensure_ascii=False)}")

    for aid, g in gold.items():
        text = inputs.get(aid, {}).get("text", "")
        gev = [e for e in g.get("events", []) if isinstance(e, dict)]
        pev = [e for e in pred.get(aid, {}).get("events", []) if isinstance(e, dict)]
        pairs = score.match(gev, pev, lambda x, y: score.event_match(x, y, "strict"))
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}
        gsent = [[_sentence(text, s) for s in _all_spans(text, e.get("evidence"))] for e in gev]
        psent = [[_sentence(text, s) for s in _all_spans(text, e.get("evidence"))] for e in pev]

        def near(a: list, b: list) -> bool:
            return any(_overlap(x, y) for x in a for y in b)

        counts["gold events"] += sum(1 for e in gev if not e.get("optional"))
        counts["dyad events"] += len(pev)
        for gi, e in enumerate(gev):
            if gi in mg:
                if e.get("date") and pev[dict(pairs)[gi]].get("date") != e["date"]:
                    note("wrong date", aid, {**e, "dyad_date": pev[dict(pairs)[gi]].get("date")})
                continue
            if e.get("optional"):
                continue
            there = [p for pi, p in enumerate(pev) if pi not in mp and near(gsent[gi], psent[pi])]
            typed = [p for p in there if score.type_ok(e, p)]
            if not there:
                note("missed trigger", aid, e)
            elif not typed:
                note("wrong type", aid, e)
            else:
                src = any(score.actor_match(e.get("source"), p.get("source"), True) for p in typed)
                tgt = any(score.actor_match(e.get("target"), p.get("target"), True) for p in typed)
                note("wrong source" if tgt and not src else "wrong target" if src and not tgt
                     else "wrong actors", aid, e)
        for pi, p in enumerate(pev):
            if pi in mp:
                continue
            there = [e for gi, e in enumerate(gev) if near(gsent[gi], psent[pi])]
            if not there:
                note("spurious", aid, p)
            elif not any(score.type_ok(e, p) for e in there):
                note("extra: wrong type", aid, p)
            else:
                note("extra: wrong actors", aid, p)
        gq = [q for q in g.get("quotes", []) if isinstance(q, dict)]
        pq = [q for q in pred.get(aid, {}).get("quotes", []) if isinstance(q, dict)]
        qpairs = score.match(gq, pq, score.quote_match)
        mq = {gi for gi, _ in qpairs}
        mpq = {pi for _, pi in qpairs}
        counts["gold quotes"] += len(gq)
        for gi, q in enumerate(gq):
            if gi in mq:
                continue
            a = score.norm_tokens(q.get("text"))
            same_text = [p for p in pq if a and len(a & score.norm_tokens(p.get("text"))) / len(a) >= 0.5]
            note("quote misattributed" if same_text else "quote missed", aid, q)
        for pi, p in enumerate(pq):
            if pi not in mpq:
                note("spurious quote", aid, p)
    return {"counts": counts, "listing": listing}


def _brief(item: dict) -> dict:
    out = {}
    for k in ("type", "alt_types", "date", "dyad_date", "speaker", "text"):
        if k in item:
            out[k] = item[k]
    for k in ("source", "target", "speaker"):
        if isinstance(item.get(k), dict):
            out[k] = f"{item[k].get('name')} ({item[k].get('country')})"
    ev = item.get("evidence")
    if isinstance(ev, list):
        ev = " | ".join(e.get("text", "") for e in ev if isinstance(e, dict))
    if ev:
        out["evidence"] = ev[:200]
    if item.get("trigger"):
        out["trigger"] = item["trigger"]
    return out


ORDER = ["missed trigger", "wrong type", "wrong source", "wrong target", "wrong actors", "wrong date",
         "spurious", "extra: wrong type", "extra: wrong actors",
         "quote missed", "quote misattributed", "spurious quote"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("inputs", type=Path)
    ap.add_argument("--scorer", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "tools" / "score.py")
    ap.add_argument("--list", help="print the items of one class")
    a = ap.parse_args(argv)
    res = classify(_jsonl(a.gold), _jsonl(a.pred), _jsonl(a.inputs), load_scorer(a.scorer))
    for k in ["gold events", "dyad events", "gold quotes", *ORDER]:
        print(f"{k:22} {res['counts'].get(k, 0)}")
    if a.list:
        print()
        print("\n".join(res["listing"].get(a.list, [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
