"""The two seed articles, scored with the project's scorer (../shared/tools/score.py) against
their gold.  The thresholds are the release bar; BENCHMARKS.md has the current figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dyad.ingest import article_from_json
from dyad.pipeline import extract_many


@pytest.fixture(scope="module")
def predictions(seed_inputs, tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "pred.jsonl"
    articles = [article_from_json(obj, f"seed:{n}") for n, obj in enumerate(seed_inputs)]
    with path.open("w", encoding="utf-8") as fh:
        for art in extract_many(articles):
            fh.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
    return path


def score(shared, gold_path, pred_path) -> dict:
    out = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(gold_path), str(pred_path), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.rsplit("\nsummary:", 1)[0])  # the last line is a summary


@pytest.fixture(scope="module")
def per_article(shared, predictions, tmp_path_factory):
    results = {}
    with open(shared / "gold" / "seeds.gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            gold = json.loads(line)
            path = tmp_path_factory.mktemp("gold") / "gold.jsonl"
            path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
            results[gold["id"]] = score(shared, path, predictions)
    return results


def test_each_seed_article_meets_the_bar(per_article):
    for aid, result in per_article.items():
        assert result["event_strict"]["f1"] >= 0.85, (aid, result["event_strict"])
        assert result["event_dyad"]["f1"] >= 0.90, (aid, result["event_dyad"])
        assert result["quote"]["f1"] >= 0.80, (aid, result["quote"])


def test_seed_dates_places_modes(shared, predictions):
    result = score(shared, shared / "gold" / "seeds.gold.jsonl", predictions)
    assert result["date_acc"]["accuracy"] >= 0.90
    assert result["place_acc"]["accuracy"] == 1.0
    assert result["mode_acc"]["accuracy"] == 1.0


def test_seed_actors_have_canonical_names_and_countries(predictions):
    arts = {a["id"]: a for a in map(json.loads, predictions.read_text(encoding="utf-8").splitlines())}
    fr = arts["003_74eb3f0044873f5c"]
    phone = next(e for e in fr["events"] if e["type"] == "CONSULT" and e["mode"] == "phone")
    assert phone["source"]["name"] == "Wang Yi" and phone["source"]["country"] == "CHN"
    assert phone["target"]["country"] == "RUS" and "Lavrov" in phone["target"]["name"]
    assert phone["date"] == "2020-03-27"
    assert all(q["speaker"]["name"] in {"Wang Yi", "Sergey Lavrov", "Sergueï Lavrov"} for q in fr["quotes"])
