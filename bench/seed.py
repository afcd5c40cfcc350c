"""The seed gold (../shared/gold/seeds.*.jsonl), scored by ../shared/tools/score.py.

dyad codes the inputs with `extract_many`; the predictions are written to a temporary JSONL and
the shared scorer is called (never copied) on the whole set and on each article alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import REPO  # noqa: F401  (puts src/ on sys.path)

GOLD_IN = Path("gold/seeds.inputs.jsonl")
GOLD = Path("gold/seeds.gold.jsonl")
SCORER = Path("tools/score.py")


@dataclass
class SeedScore:
    article: str  # "overall" or an article id
    lang: str
    metrics: dict


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(inputs: list[dict]) -> list[dict]:
    """dyad's output records for the seed inputs."""
    from dyad.pipeline import extract_many
    from dyad.records import Article

    arts = [Article(text=d["text"], id=d.get("id", ""), lang=d.get("lang"), published=d.get("published"),
                    url=d.get("url"), source=d.get("source")) for d in inputs]
    return [r.to_dict() for r in extract_many(arts) if hasattr(r, "to_dict")]


def _score(shared: Path, gold: list[dict], pred: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        g.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in gold), encoding="utf-8")
        p.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in pred), encoding="utf-8")
        out = subprocess.run([sys.executable, str(shared / SCORER), "--json", str(g), str(p)],
                             check=True, capture_output=True, text=True).stdout
    return json.JSONDecoder().raw_decode(out[out.index("{"):])[0]


def evaluate(shared: Path) -> list[SeedScore]:
    """Overall, then per-article scores of the seed gold."""
    inputs, gold = _read_jsonl(shared / GOLD_IN), _read_jsonl(shared / GOLD)
    pred = predict(inputs)
    lang = {d["id"]: d.get("lang") or "?" for d in inputs}
    out = [SeedScore("overall", "all", _score(shared, gold, pred))]
    for g in gold:
        mine = [p for p in pred if p["id"] == g["id"]]
        out.append(SeedScore(g["id"], lang.get(g["id"], "?"), _score(shared, [g], mine)))
    return out
