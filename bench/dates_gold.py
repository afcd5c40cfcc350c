"""Event dates on gold events, independent of event recall.

Usage:
    .venv/bin/python bench/dates_gold.py [--shared ../shared] [--set dev] [--dir DIR] [--errors]

`--dir DIR` reads the *.inputs.jsonl / *.gold.jsonl of DIR instead (the project's own gold/).

For every gold event of the set (required and optional), the evidence is found in the article
text, its syntactic head (the token of the evidence whose head lies outside it) stands in for the
trigger, and ``pipeline.DateTracker`` dates it exactly as the pipeline dates an event anchored
there.  Scored per language:

* **dated**: gold events with a date, and how many get exactly that date;
* **null**: gold events whose text gives no day, and how many come out `date_inferred` (or
  without a date), as RECORDS.md asks.

The score measures the date logic on every gold event, not only those the coder finds today.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from dyad.event_dates import DateTracker  # noqa: E402
from dyad.language import nlp  # noqa: E402


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _locate(text: str, evidence: str) -> int:
    at = text.find(evidence)
    if at < 0:
        at = text.find(evidence[:40])
    return at


def _head(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = {t.i for t in span}
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    verbs = [t for t in heads if t.pos_ in {"VERB", "AUX"}]
    return (verbs or heads or [span.root])[0]


def run(base: Path, show_errors: bool) -> dict[str, dict[str, list[int]]]:
    inputs = {a["id"]: a for f in sorted(base.glob("*.inputs.jsonl")) for a in _jsonl(f)}
    golds = {g["id"]: g for f in sorted(base.glob("*.gold.jsonl")) for g in _jsonl(f)}
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"dated": [0, 0], "null": [0, 0]})
    for aid, article in sorted(inputs.items()):
        gold = golds.get(aid)
        if not gold:
            continue
        text, lang, published = article["text"], article["lang"], article.get("published")
        doc = nlp(lang)(text)
        tracker = DateTracker(text, lang, published)
        located = []
        for ev in gold.get("events", []):
            at = _locate(text, ev.get("evidence") or "")
            if at >= 0:
                located.append((at, at + len(ev["evidence"]), ev))
        for sent in doc.sents:
            tracker.enter(sent)
            for start, end, ev in located:
                if not sent.start_char <= start < sent.end_char:
                    continue
                anchor = _head(doc, start, min(end, sent.end_char))
                if anchor is None:
                    continue
                value, inferred = tracker.date_for(anchor)
                key = "dated" if ev.get("date") else "null"
                ok = value == ev["date"] if ev.get("date") else (inferred or value is None)
                scores[lang][key][0] += int(ok)
                scores[lang][key][1] += 1
                if show_errors and not ok:
                    print(f"{aid} {published} gold={ev.get('date')} got={value} inferred={inferred} "
                          f"anchor={anchor.text!r}\n    {sent.text.strip()[:300]!r}")
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--set", default="dev")
    ap.add_argument("--dir", type=Path, help="a folder of *.inputs.jsonl and *.gold.jsonl")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    scores = run(args.dir or args.shared / "gold" / args.set, args.errors)
    for lang in sorted(scores):
        d, n = scores[lang]["dated"], scores[lang]["null"]
        print(f"{lang}: dated {d[0]}/{d[1]} = {d[0] / max(d[1], 1):.3f}   null inferred {n[0]}/{n[1]}")


if __name__ == "__main__":
    main()
