"""`make train`: the learned layer (`dyad.decide`) trained on development gold.

Usage:
    .venv/bin/python bench/train.py [--shared ../shared] [--folds 5] [--no-write] [--report FILE]
                                    [--no-sentences] [--no-plover]

Training data (never a test set): the seed gold, the shared development gold
(`../shared/gold/dev/*`) and dyad's own development gold (`gold/*`).  The rules code every article
with the learned layer off (DYAD_DECIDE=off); each proposed event is labelled by the shared scorer's
strict matching: 1 when it matches a required gold event, 0 when it matches nothing; an event that
only matches an optional gold event is left out.  A logistic regression (scikit-learn, L2,
balanced by nothing, deterministic) learns P(right | features); the threshold is the one that
maximises event F1 on held-out articles.

The sentence-type models (`dyad.sentence_types`: one logistic model per PLOVER type on the
multilingual embedding of an event's evidence sentence, labelled by the gold events whose evidence
lies in it, plus PLOVER's one-sentence records unless `--no-plover`) give the layer P(type |
sentence).  They are nested in the cross-validation: a held-out article's sentences are scored by
models trained on the other folds, and the layer learns from training sentences scored by inner
folds that did not see their article, as it will meet new articles.

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
from dataclasses import dataclass, field
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


@dataclass
class Sentences:
    """The evidence sentences of the proposed events, for the sentence-type model: their text,
    article and gold types (any gold event, optional ones too, whose evidence overlaps them, with
    its alt_types), and which sentence and type each training example has."""

    texts: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    labels: list[set[str]] = field(default_factory=list)
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    of_example: list[int] = field(default_factory=list)
    type_of_example: list[str] = field(default_factory=list)

    def add(self, aid: str, event, gold_spans: list[tuple[int, int, set[str]]]) -> None:
        ev = event.evidence[0]
        key = (aid, ev.start)
        if key not in self.index:
            self.index[key] = len(self.texts)
            self.texts.append(ev.text)
            self.articles.append(aid)
            self.labels.append({t for s, e, types in gold_spans if s < ev.end and ev.start < e for t in types})
        self.of_example.append(self.index[key])
        self.type_of_example.append(event.type)


def _gold_spans(text: str, gold_events: list[dict]) -> list[tuple[int, int, set[str]]]:
    spans = []
    for g in gold_events:
        ev = g.get("evidence")
        types = {g.get("type"), *(g.get("alt_types") or [])} - {None}
        at = text.find(ev) if isinstance(ev, str) and ev else -1
        while at >= 0:
            spans.append((at, at + len(ev), types))
            at = text.find(ev, at + 1)
    return spans


def examples(shared: Path) -> tuple[list[dict], list[int], list[str], list[str], dict[str, int], list[tuple], Sentences]:
    """(features, labels, article ids, languages) of every proposed event, the number of
    required gold events per article, each positional pair's trigger group (None for the
    rules' own events), and the events' evidence sentences."""
    from dyad.decide import features, proposal_group
    from dyad.pipeline import extract_many
    from dyad.records import Article, Problem

    score = load_scorer(shared)
    X: list[dict] = []
    y: list[int] = []
    groups: list[str] = []
    langs: list[str] = []
    required: dict[str, int] = {}
    trig: list[tuple | None] = []
    sents = Sentences()
    for inputs, gold_path in gold_sets(shared):
        gold = {str(g["id"]): g for g in _jsonl(gold_path)}
        arts = [Article(text=d["text"], id=str(d["id"]), lang=d.get("lang"), published=d.get("published"),
                        url=d.get("url"), source=d.get("source")) for d in _jsonl(inputs)]
        for art in extract_many(arts):
            if isinstance(art, Problem) or art.id not in gold:
                continue
            gev = [e for e in gold[art.id].get("events", []) if isinstance(e, dict)]
            spans = _gold_spans(art.text, gev)
            required[art.id] = sum(1 for e in gev if not e.get("optional"))
            pev = [e for e in art.to_dict()["events"]]
            # the rules' events are labelled first; positional pairs only by the gold events the
            # rules left unmatched (as `decide` keeps the rules' events on their own)
            owner: dict[int, int] = {}
            for stage in (False, True):
                ix = [i for i, e in enumerate(art.events) if ("pair" in e.cues) == stage]
                free = [gi for gi in range(len(gev)) if gi not in owner.values()]
                found = score.match([gev[gi] for gi in free], [pev[i] for i in ix],
                                    lambda g, p: score.event_match(g, p, "strict"))
                owner.update({ix[pi]: free[gi] for gi, pi in found})
            for pi, event in enumerate(art.events):
                if pi in owner and gev[owner[pi]].get("optional"):
                    continue  # right or not, nobody counts it
                X.append(features(event, art))
                y.append(int(pi in owner))
                groups.append(art.id)
                langs.append(art.lang or "?")
                trig.append((art.id, *proposal_group(event)) if "pair" in event.cues else None)
                sents.add(art.id, event, spans)
    return X, y, groups, langs, required, trig, sents


# ---------------------------------------------------------------- the sentence-type model
SENT_C = 1.0  # inverse L2 strength of each type's model on the 512 embedding dimensions
MIN_POSITIVES = 3  # a type with fewer gold sentences keeps its base rate


def fit_sentence_types(E, labels: list[set[str]], rows: list[int]) -> dict:
    """One logistic model per type on the embeddings of sentences `rows` (the format of
    `sentence_types.probabilities`)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from dyad.ontology import TYPES
    from dyad.sentence_types import logit

    types = sorted(TYPES)
    coef, intercept = [], []
    for t in types:
        yt = np.array([int(t in labels[r]) for r in rows])
        if yt.sum() < MIN_POSITIVES or yt.sum() == len(yt):
            coef.append([0.0] * E.shape[1])
            intercept.append(logit((yt.sum() + 0.5) / (len(yt) + 1)))
            continue
        clf = LogisticRegression(C=SENT_C, max_iter=5000, random_state=SEED)
        clf.fit(E[rows], yt)
        coef.append(clf.coef_[0].tolist())
        intercept.append(float(clf.intercept_[0]))
    return {"types": types, "coef": coef, "intercept": intercept}


def sentence_probs(E, labels, articles: list[str], train_rows: list[int], folds: int) -> dict[int, dict[str, float]]:
    """P(type | sentence) for every sentence of `train_rows`, each from a model that did not see
    its article (`folds`-fold by article)."""
    from sklearn.model_selection import GroupKFold

    from dyad.sentence_types import probabilities

    out: dict[int, dict[str, float]] = {}
    groups = [articles[r] for r in train_rows]
    for tr, te in GroupKFold(n_splits=folds).split(train_rows, groups=groups):
        model = fit_sentence_types(E, labels, [train_rows[i] for i in tr])
        rows = [train_rows[i] for i in te]
        out.update(zip(rows, probabilities(E[rows], model), strict=True))
    return out


def add_plover(sents: Sentences, shared: Path) -> None:
    """The PLOVER gold-standard records as more sentence-type examples (one English sentence,
    one type each; never layer examples)."""
    sys.path.insert(0, str(REPO / "bench"))
    from plover import load_records, plover_type

    from dyad.ontology import TYPES

    for n, r in enumerate(load_records(shared)):
        t = plover_type(r["event"])
        if t in TYPES:
            sents.texts.append(r["text"])
            sents.articles.append(f"plover:{n}")
            sents.labels.append({t})


def with_sentences(X: list[dict], sents: Sentences, probs: dict[int, dict[str, float]], ix) -> list[dict]:
    """Examples `ix` with their sentence-type features (as `decide` computes them)."""
    from dyad.decide import sentence_features

    return [{**X[i], **sentence_features(sents.type_of_example[i], probs[sents.of_example[i]])} for i in ix]


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


def cross_validate(X, y, groups, trig, folds: int, sents: Sentences | None = None, E=None,
                   seed: int | None = None) -> list[float]:
    """Held-out probabilities, articles split into `folds` groups (deterministic: by size, or
    shuffled by `seed`); the rules'
    events and the positional pairs have a model each.  With `sents` and their embeddings `E`,
    the sentence-type model is nested: the held-out articles' sentences are scored by one trained
    on the other folds, the training examples' by inner folds that did not see their article."""
    from sklearn.model_selection import GroupKFold

    from dyad.sentence_types import probabilities

    probs = [0.0] * len(y)
    splitter = GroupKFold(n_splits=folds) if seed is None else GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(X, y, groups):
        feats: dict[int, dict] = {}
        if sents is not None:
            test_arts = {groups[i] for i in test}
            train_rows = [r for r, a in enumerate(sents.articles) if a not in test_arts]
            test_rows = [r for r, a in enumerate(sents.articles) if a in test_arts]
            sp = sentence_probs(E, sents.labels, sents.articles, train_rows, folds - 1)
            model = fit_sentence_types(E, sents.labels, train_rows)
            sp.update(zip(test_rows, probabilities(E[test_rows], model), strict=True))
            feats = dict(zip(range(len(X)), with_sentences(X, sents, sp, range(len(X))), strict=True))
        Xf = [feats.get(i, X[i]) for i in range(len(X))]
        for is_pair in (False, True):
            tr = [i for i in train if (trig[i] is not None) == is_pair]
            te = [i for i in test if (trig[i] is not None) == is_pair]
            if not te or len({y[i] for i in tr}) < 2:
                continue
            vec, clf = fit([Xf[i] for i in tr], [y[i] for i in tr])
            p = clf.predict_proba(vec.transform([Xf[i] for i in te]))[:, 1]
            for i, v in zip(te, p, strict=True):
                probs[i] = float(v)
    return probs


def kept(probs, trig, threshold: float, pair_threshold: float) -> list[bool]:
    """What `decide` keeps: rule events at the threshold; of each trigger's pairs, the likeliest
    at the pair threshold."""
    best: dict[tuple, int] = {}
    for i, (p, g) in enumerate(zip(probs, trig, strict=True)):
        if g is not None and p >= pair_threshold and (g not in best or p > probs[best[g]]):
            best[g] = i
    chosen = set(best.values())
    return [(g is None and p >= threshold) or i in chosen for i, (p, g) in enumerate(zip(probs, trig, strict=True))]


def f1_at(keep: list[bool], y, groups, required, subset=None) -> tuple[float, float, float, int, int, int]:
    ids = set(required) if subset is None else subset
    tp = sum(1 for k, t, g in zip(keep, y, groups, strict=True) if g in ids and k and t)
    fp = sum(1 for k, t, g in zip(keep, y, groups, strict=True) if g in ids and k and not t)
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


def report(X, y, groups, langs, required, probs, trig, threshold, pair_threshold) -> list[str]:
    by_lang: dict[str, set[str]] = defaultdict(set)
    for g, lang in zip(groups, langs, strict=True):
        by_lang[lang].add(g)
    for g in required:  # articles where the rules proposed nothing still count their misses
        if not any(g in s for s in by_lang.values()):
            by_lang["?"].add(g)
    rules = [t is None for t in trig]
    rules_layer = kept(probs, trig, threshold, 2.0)
    both = kept(probs, trig, threshold, pair_threshold)
    n_pairs = sum(1 for t in trig if t is not None)
    out = [f"Training examples: {len(y)} proposed events ({sum(y)} right) from {len(required)} articles "
           f"with {sum(required.values())} required gold events; {n_pairs} of them positional pairs "
           f"({sum(t for t, g in zip(y, trig, strict=True) if g is not None)} right) "
           f"from {len({t for t in trig if t is not None})} triggers the rules left without a dyad.",
           f"Thresholds (best held-out F1): rules' events {threshold:.2f}, positional pairs {pair_threshold:.2f} "
           "(the likeliest pair of a trigger only).", "",
           "| set | rules only P / R / F1 | rules + layer P / R / F1 | rules + pairs + layer P / R / F1 |",
           "| --- | --- | --- | --- |"]
    for name, ids in [("all", None)] + sorted((k, v) for k, v in by_lang.items() if k != "?"):
        cells = []
        for keep in (rules, rules_layer, both):
            a = f1_at(keep, y, groups, required, ids)
            cells.append(f"{a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += ["", "Reliability of `confidence` (held-out probabilities of the events the layer keeps):", "",
            "| confidence | events | mean confidence | share right |", "| --- | ---: | ---: | ---: |"]
    sel = [i for i, k in enumerate(both) if k]
    for label, n, mean_p, rate in reliability([probs[i] for i in sel], [y[i] for i in sel]):
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


SMOOTH = 5  # grid steps either side averaged: the held-out F1 curve is flat and noisy near its top


def _threshold(f1) -> float:
    """The threshold whose held-out F1, averaged with its neighbours (±0.05), is highest: the
    curve is flat and noisy near its top, and its single best point is mostly noise."""
    grid = [i / 100 for i in range(5, 80)]
    scores = [f1(t) for t in grid]
    smooth = [sum(scores[max(0, i - SMOOTH):i + SMOOTH + 1]) / len(scores[max(0, i - SMOOTH):i + SMOOTH + 1])
              for i in range(len(grid))]
    best = max(range(len(grid)), key=lambda i: (round(smooth[i], 4), grid[i]))
    return grid[best]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="report only; keep the shipped model")
    ap.add_argument("--report", type=Path, help="also write the report (markdown) here")
    ap.add_argument("--no-plover", action="store_true", help="the sentence-type model learns from the gold articles only, "
                    "not also from PLOVER's records")
    ap.add_argument("--repeats", type=int, default=3, help="cross-validations (article splits) the thresholds average over")
    ap.add_argument("--no-sentences", action="store_true", help="leave out the sentence-type model (the layer as before)")
    a = ap.parse_args(argv)

    X, y, groups, langs, required, trig, sents = examples(a.shared)
    E = None
    if not a.no_sentences:
        from dyad.sentence_types import embed

        if not a.no_plover:
            add_plover(sents, a.shared)
        E = embed(sents.texts)
    # the thresholds from the mean held-out F1 of REPEATS cross-validations with different article
    # splits: one split's curve is flat and noisy near its top, and its thresholds swing from run to run
    runs = [cross_validate(X, y, groups, trig, a.folds, sents if E is not None else None, E,
                           seed=None if r == 0 else r) for r in range(a.repeats)]
    probs = runs[0]

    def mean_f1(rule_t: float, pair_t: float) -> float:
        return sum(f1_at(kept(p, trig, rule_t, pair_t), y, groups, required)[2] for p in runs) / len(runs)

    threshold = _threshold(lambda t: mean_f1(t, 2.0))
    pair_threshold = _threshold(lambda t: mean_f1(threshold, t))
    lines = report(X, y, groups, langs, required, probs, trig, threshold, pair_threshold)
    if len(runs) > 1:
        lines.insert(2, f"Thresholds from the mean held-out F1 of {len(runs)} cross-validations with different "
                        f"article splits (rules + pairs + layer: "
                        + ", ".join(f"{f1_at(kept(p, trig, threshold, pair_threshold), y, groups, required)[2]:.3f}"
                                    for p in runs)
                        + "); the table is the first split's.")
    print("\n".join(lines))
    if a.report:
        a.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not a.no_write:
        _write_benchmarks(lines)
        rule_ix = [i for i, t in enumerate(trig) if t is None]
        pair_ix = [i for i, t in enumerate(trig) if t is not None]
        tables: dict = {}
        Xf = X
        if E is not None:  # the layer learns from held-out sentence scores; the shipped model sees all
            rows = list(range(len(sents.texts)))
            Xf = with_sentences(X, sents, sentence_probs(E, sents.labels, sents.articles, rows, a.folds), range(len(X)))
            st = fit_sentence_types(E, sents.labels, rows)
            tables["sentence_types"] = {"types": st["types"], "intercept": [round(v, 5) for v in st["intercept"]],
                                        "coef": [[round(v, 5) for v in row] for row in st["coef"]]}
        for name, ix in (("weights", rule_ix), ("pair_weights", pair_ix)):
            vec, clf = fit([Xf[i] for i in ix], [y[i] for i in ix])
            tables[name] = {f: round(float(w), 6) for f, w in zip(vec.feature_names_, clf.coef_[0], strict=True)}
        MODEL.write_text(json.dumps({
            "about": "dyad.decide: logistic models of P(a proposed event is right), one for the rules' events, "
                     "one for positional pairs, which read P(type | evidence sentence) from the sentence-type "
                     "models (dyad.sentence_types, one per PLOVER type on multilingual embeddings); "
                     "`make train` rebuilds them",
            "trained_on": [str(i.relative_to(REPO) if REPO in i.parents else Path("shared") / i.relative_to(a.shared))
                           for i, _ in gold_sets(a.shared)],
            "examples": len(y), "threshold": threshold, "pair_threshold": pair_threshold, **tables},
            indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
