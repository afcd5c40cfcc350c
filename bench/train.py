"""`make train`: the learned layer (`dyad.decide`) trained on development gold.

Usage:
    .venv/bin/python bench/train.py [--shared ../shared] [--folds 5] [--no-write] [--report FILE]

Training data (never a test set): the seed gold, the shared development gold
(`../shared/gold/dev/*`) and dyad's own development gold (`gold/*`).  The rules code every article
with the learned layer off (DYAD_DECIDE=off); each proposed event is labelled by the shared scorer's
strict matching: 1 when it matches a required gold event, 0 when it matches nothing; an event that
only matches an optional gold event is left out.  A logistic regression (scikit-learn, L2,
balanced by nothing, deterministic) learns P(right | features); the threshold is the one that
maximises event F1 on held-out articles.

Figures are by cross-validation grouped by article (no article is in its own training fold):
event P/R/F1 before (rules only) and after the layer, per language, and the reliability table
(the calibration of `confidence`).  The model trained on all articles is written to
`src/dyad/data/event_scorer.json`, the report to stdout (and `--report`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ["DYAD_DECIDE"] = "off"  # the rules' own proposals are what the layer learns to judge

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

MODEL = REPO / "src" / "dyad" / "data" / "event_scorer.json"
C = 0.5  # inverse L2 strength: few hundred examples, a few dozen features
SEED = 13


def gold_sets(shared: Path) -> list[tuple[Path, Path]]:
    sets = [(shared / "gold" / "seeds.inputs.jsonl", shared / "gold" / "seeds.gold.jsonl")]
    sets += [(p, p.with_name(p.name.replace(".inputs.", ".gold."))) for p in sorted((shared / "gold" / "dev").glob("*.inputs.jsonl"))]
    sets += [(p, p.with_name(p.name.replace(".inputs.", ".gold."))) for p in sorted((REPO / "gold").glob("*.inputs.jsonl"))]
    return [(i, g) for i, g in sets if i.exists() and g.exists()]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("dyad_score", shared / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def examples(shared: Path) -> tuple[list[dict], list[int], list[str], list[str], dict[str, int]]:
    """(features, labels, article ids, languages) of every proposed event, and the number of
    required gold events per article."""
    from dyad.decide import features
    from dyad.pipeline import extract_many
    from dyad.records import Article, Problem

    score = load_scorer(shared)
    X: list[dict] = []
    y: list[int] = []
    groups: list[str] = []
    langs: list[str] = []
    required: dict[str, int] = {}
    for inputs, gold_path in gold_sets(shared):
        gold = {str(g["id"]): g for g in _jsonl(gold_path)}
        arts = [Article(text=d["text"], id=str(d["id"]), lang=d.get("lang"), published=d.get("published"),
                        url=d.get("url"), source=d.get("source")) for d in _jsonl(inputs)]
        for art in extract_many(arts):
            if isinstance(art, Problem) or art.id not in gold:
                continue
            gev = [e for e in gold[art.id].get("events", []) if isinstance(e, dict)]
            required[art.id] = sum(1 for e in gev if not e.get("optional"))
            pev = [e for e in art.to_dict()["events"]]
            pairs = score.match(gev, pev, lambda g, p: score.event_match(g, p, "strict"))
            owner = {pi: gi for gi, pi in pairs}
            for pi, event in enumerate(art.events):
                if pi in owner and gev[owner[pi]].get("optional"):
                    continue  # right or not, nobody counts it
                X.append(features(event, art))
                y.append(int(pi in owner))
                groups.append(art.id)
                langs.append(art.lang or "?")
    return X, y, groups, langs, required


def fit(X: list[dict], y: list[int]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False, sort=True)
    M = vec.fit_transform(X)
    clf = LogisticRegression(C=C, max_iter=5000, fit_intercept=False, random_state=SEED)
    clf.fit(M, y)
    return vec, clf


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(X, y, groups, folds: int) -> list[float]:
    """Held-out probabilities, articles split into `folds` groups (deterministic)."""
    from sklearn.model_selection import GroupKFold

    probs = [0.0] * len(y)
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        vec, clf = fit([X[i] for i in train], [y[i] for i in train])
        p = clf.predict_proba(vec.transform([X[i] for i in test]))[:, 1]
        for i, v in zip(test, p, strict=True):
            probs[i] = float(v)
    return probs


def f1_at(threshold: float, probs, y, groups, required, subset=None) -> tuple[float, float, float, int, int, int]:
    ids = set(required) if subset is None else subset
    tp = sum(1 for p, t, g in zip(probs, y, groups, strict=True) if g in ids and p >= threshold and t)
    fp = sum(1 for p, t, g in zip(probs, y, groups, strict=True) if g in ids and p >= threshold and not t)
    fn = sum(required[g] for g in ids) - tp
    return (*prf(tp, fp, fn), tp, fp, fn)


def reliability(probs, y, bins: int = 10) -> list[tuple[str, int, float, float]]:
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [(p, t) for p, t in zip(probs, y, strict=True) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            rows.append((f"{lo:.1f}–{hi:.1f}", len(sel), sum(p for p, _ in sel) / len(sel), sum(t for _, t in sel) / len(sel)))
    return rows


def report(X, y, groups, langs, required, probs, threshold) -> list[str]:
    by_lang: dict[str, set[str]] = defaultdict(set)
    for g, lang in zip(groups, langs, strict=True):
        by_lang[lang].add(g)
    for g in required:  # articles where the rules proposed nothing still count their misses
        if not any(g in s for s in by_lang.values()):
            by_lang["?"].add(g)
    out = [f"Training examples: {len(y)} proposed events ({sum(y)} right) from {len(required)} articles "
           f"with {sum(required.values())} required gold events.",
           f"Threshold (best held-out F1): {threshold:.2f}.", "",
           "| set | rules only P / R / F1 | with the learned layer P / R / F1 |",
           "| --- | --- | --- |"]
    for name, ids in [("all", None)] + sorted((k, v) for k, v in by_lang.items() if k != "?"):
        a = f1_at(0.0, probs, y, groups, required, ids)
        b = f1_at(threshold, probs, y, groups, required, ids)
        out.append(f"| {name} | {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | {b[0]:.3f} / {b[1]:.3f} / {b[2]:.3f} |")
    out += ["", "Reliability of `confidence` (held-out probabilities):", "",
            "| confidence | events | mean confidence | share right |", "| --- | ---: | ---: | ---: |"]
    for label, n, mean_p, rate in reliability(probs, y):
        out.append(f"| {label} | {n} | {mean_p:.2f} | {rate:.2f} |")
    return out


SECTION = "## The learned layer (make train)"


def _write_benchmarks(lines: list[str]) -> None:
    import datetime
    import subprocess

    sys.path.insert(0, str(REPO / "bench"))
    from common import write_section

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    write_section(SECTION, ["", f"Command: `.venv/bin/python bench/train.py --shared ../shared   (or: make train)`. "
                           f"Run {datetime.date.today()}, commit {commit or '?'}. Figures by 5-fold cross-validation grouped "
                           "by article (no article is scored by a model that saw it).", "", *lines])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="report only; keep the shipped model")
    ap.add_argument("--report", type=Path, help="also write the report (markdown) here")
    a = ap.parse_args(argv)

    X, y, groups, langs, required = examples(a.shared)
    probs = cross_validate(X, y, groups, a.folds)
    grid = [i / 100 for i in range(5, 80)]
    threshold = max(grid, key=lambda t: (round(f1_at(t, probs, y, groups, required)[2], 4), -t))
    lines = report(X, y, groups, langs, required, probs, threshold)
    print("\n".join(lines))
    if a.report:
        a.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not a.no_write:
        _write_benchmarks(lines)
        vec, clf = fit(X, y)
        weights = {name: round(float(w), 6) for name, w in zip(vec.feature_names_, clf.coef_[0], strict=True)}
        MODEL.write_text(json.dumps({
            "about": "dyad.decide: logistic model of P(a proposed event is right); `make train` rebuilds it",
            "trained_on": [str(i.relative_to(REPO) if REPO in i.parents else Path("shared") / i.relative_to(a.shared))
                           for i, _ in gold_sets(a.shared)],
            "examples": len(y), "threshold": threshold, "weights": weights}, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        print(f"\nwrote {MODEL.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
