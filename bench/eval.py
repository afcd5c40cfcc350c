"""`make eval`: every gold set, one table per language, with the error classes.

Usage:
    .venv/bin/python bench/eval.py [--shared ../shared] [--no-write] [--skip-external] [--skip-bench]

Sets (read where they are, never copied):
  * annotated articles scored by ../shared/tools/score.py, per language: the seeds, the shared
    development gold (../shared/gold/dev) and dyad's own development gold (gold/); with
    bench/errors.py's classes (missed trigger, wrong type, wrong source/target, wrong date,
    spurious, quote missed or misattributed);
  * the external test sets (../shared/bench/external: WikiEvents, CASE 2021 task 2, PolNeAR,
    GeoWebNews, MEANTIME en + es), converted and scored by their own `to_dyad.py`: reported,
    never tuned on;
  * PLOVER, PETRARCH-2, UniversalPetrarch and FR-TimeBank through `bench/run.py` (`make bench`).
The section "## Evaluation (make eval)" of BENCHMARKS.md is replaced; other sections are kept.

The development gold is also what the learned layer (`make train`) trains on: its figures here
are in-sample for that layer; `bench/train.py` reports it by cross-validation.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import errors  # noqa: E402
from common import REPO, write_section  # noqa: E402

SECTION = "## Evaluation (make eval)"
COMMAND = ".venv/bin/python bench/eval.py --shared ../shared   (or: make eval)"
LANGS = ("en", "fr", "es")
EXTERNAL = ["wikievents", "case2021_task2", "polnear", "geowebnews", "meantime_timex"]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(inputs: list[dict], out: Path) -> None:
    """dyad's RECORDS.md output for `inputs`, written to `out`."""
    from dyad.pipeline import extract_many
    from dyad.records import Article, Problem

    arts = [Article(text=d["text"], id=str(d.get("id", "")), lang=d.get("lang"), published=d.get("published"),
                    url=d.get("url"), source=d.get("source")) for d in inputs]
    with out.open("w", encoding="utf-8") as fh:
        for res in extract_many(arts):
            if isinstance(res, Problem):
                continue
            fh.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")


def gold_sets(shared: Path) -> dict[str, list[tuple[Path, Path]]]:
    def pairs(folder: Path) -> list[tuple[Path, Path]]:
        return [(p, p.with_name(p.name.replace(".inputs.", ".gold."))) for p in sorted(folder.glob("*.inputs.jsonl"))]

    return {"seeds": [(shared / "gold" / "seeds.inputs.jsonl", shared / "gold" / "seeds.gold.jsonl")],
            "dev": pairs(shared / "gold" / "dev"), "own": pairs(REPO / "gold")}


def score(scorer: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.JSONDecoder().raw_decode(out)[0]  # the JSON, then a summary line


def annotated(shared: Path, tmp: Path) -> tuple[list[str], dict]:
    """Per-language tables for the seeds, the shared dev gold and our own gold."""
    scorer = shared / "tools" / "score.py"
    score_mod = errors.load_scorer(scorer)
    rows, classes = [], {}
    for name, pairs in gold_sets(shared).items():
        inputs = [d for i, _ in pairs for d in _jsonl(i)]
        golds = [d for _, g in pairs for d in _jsonl(g)]
        if not inputs:
            continue
        pred = tmp / f"{name}.pred.jsonl"
        predict(inputs, pred)
        preds = {str(d["id"]): d for d in _jsonl(pred)}
        for lang in (*LANGS, "all"):
            ids = {str(d["id"]) for d in inputs if lang == "all" or d.get("lang") == lang}
            if not ids:
                continue
            g, p = tmp / f"{name}.{lang}.gold.jsonl", tmp / f"{name}.{lang}.pred.jsonl"
            g.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in golds if str(d["id"]) in ids), encoding="utf-8")
            p.write_text("".join(json.dumps(preds[i], ensure_ascii=False) + "\n" for i in sorted(ids) if i in preds), encoding="utf-8")
            m = score(scorer, g, p)
            rows.append((name, lang, len(ids), m))
            res = errors.classify({str(d["id"]): d for d in golds if str(d["id"]) in ids},
                                  {i: preds[i] for i in ids if i in preds},
                                  {str(d["id"]): d for d in inputs if str(d["id"]) in ids}, score_mod)
            classes[(name, lang)] = res["counts"]
    lines = ["### Annotated articles (../shared/tools/score.py)", "",
             "| set | lang | articles | event_strict P / R / F1 | event_dyad F1 | type F1 | quote P / R / F1 | date acc | place acc |",
             "| --- | --- | ---: | --- | ---: | ---: | --- | ---: | ---: |"]
    for name, lang, n, m in rows:
        es, q = m["event_strict"], m["quote"]
        acc = {k: ("n/a" if m[k]["accuracy"] is None else f"{m[k]['accuracy']:.3f} ({m[k]['correct']}/{m[k]['of']})")
               for k in ("date_acc", "place_acc")}
        lines.append(f"| {name} | {lang} | {n} | {es['precision']:.3f} / {es['recall']:.3f} / **{es['f1']:.3f}** | "
                     f"{m['event_dyad']['f1']:.3f} | {m['type_only']['f1']:.3f} | {q['precision']:.3f} / {q['recall']:.3f} / "
                     f"**{q['f1']:.3f}** | {acc['date_acc']} | {acc['place_acc']} |")
    lines += ["", "Error classes (bench/errors.py; gold events not matched strictly, dyad events not matched, quotes):", "",
              "| set | lang | " + " | ".join(errors.ORDER) + " |", "| --- | --- |" + " ---: |" * len(errors.ORDER)]
    for (name, lang), counts in classes.items():
        lines.append(f"| {name} | {lang} | " + " | ".join(str(counts.get(k, 0)) for k in errors.ORDER) + " |")
    return lines, {k: dict(v) for k, v in classes.items()}


def external(shared: Path, tmp: Path) -> list[str]:
    lines = ["### External test sets (../shared/bench/external, their own scorers; never tuned on)", ""]
    for name in EXTERNAL:
        tool = shared / "bench" / "external" / name / "to_dyad.py"
        if not tool.exists():
            continue
        out = tmp / name
        subprocess.run([sys.executable, str(tool), "convert", "--out", str(out)], check=True, capture_output=True)
        pairs = [(out / "inputs.jsonl", out / "gold.jsonl")] if (out / "inputs.jsonl").exists() else \
            [(out / f"inputs.{lang}.jsonl", out / f"gold.{lang}.jsonl") for lang in LANGS if (out / f"inputs.{lang}.jsonl").exists()]
        for inputs, gold in pairs:
            pred = inputs.with_name(inputs.name.replace("inputs", "pred"))
            predict(_jsonl(inputs), pred)
            res = subprocess.run([sys.executable, str(tool), "score", str(pred), "--gold", str(gold)],
                                 capture_output=True, text=True)
            label = f"{name} ({inputs.name.split('.')[1]})" if inputs.name.count(".") > 1 else name
            try:
                figures = json.loads(res.stdout)
            except json.JSONDecodeError:
                figures = {"error": (res.stderr or res.stdout).strip().splitlines()[-1:]}
            lines.append(f"- **{label}**: `{json.dumps(_brief(figures), ensure_ascii=False)}`")
    return lines


def _brief(figures: dict) -> dict:
    """The scorer's top-level numbers (nested tables left out)."""
    out = {}
    for k, v in figures.items():
        if isinstance(v, int | float | str) or v is None:
            out[k] = round(v, 3) if isinstance(v, float) else v
        elif isinstance(v, dict) and all(isinstance(x, int | float) for x in v.values()) and len(v) <= 6:
            out[k] = {kk: round(x, 3) if isinstance(x, float) else x for kk, x in v.items()}
    return out


def bench_lines(shared: Path) -> list[str]:
    res = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--shared", str(shared), "--no-write"],
                         capture_output=True, text=True)
    keep = [line for line in res.stdout.splitlines() if line.startswith("|") or line.startswith("###")]
    return ["### PLOVER, PETRARCH-2, UniversalPetrarch (bench/run.py; the full tables are under \"Event coding accuracy\")",
            "", "PLOVER's records are also training sentences of the learned layer's sentence-type models "
            "(`make train`, unless `--no-plover`): its figures are partly in-sample.", "", *keep] if keep else []


def _commit() -> str:
    res = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return res.stdout.strip() or "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    ap.add_argument("--skip-external", action="store_true")
    ap.add_argument("--skip-bench", action="store_true", help="leave out PLOVER / PETRARCH (make bench)")
    a = ap.parse_args(argv)
    body = ["", f"Command: `{COMMAND}`. Run {datetime.date.today()}, commit {_commit()}.", ""]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        lines, _ = annotated(a.shared, tmp)
        body += lines + [""]
        if not a.skip_external:
            body += external(a.shared, tmp) + [""]
    if not a.skip_bench:
        body += bench_lines(a.shared)
    print("\n".join(body))
    if not a.no_write:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
