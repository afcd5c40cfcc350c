"""`make bench-speed`: end-to-end articles/second and peak memory against the bare spaCy ceiling.

    .venv/bin/python bench/speed.py --shared ../shared [--articles 5000] [--small 1000]

Builds a deterministic corpus of news-length articles (400-800 words, English and French) from
sentences of the benchmark data in ../shared/bench (PLOVER gold records, PETRARCH validation texts,
FR-TimeBank documents; nothing is copied into the repository), then, each in a fresh process:

* ``bare``: ``nlp.pipe`` of the same texts with the same models (``dyad.language.nlp``), the ceiling;
* ``e2e``: ``dyad extract CORPUS --db TMP`` with ``--workers 1`` and ``--workers 2`` (parse, code,
  dedup, DuckDB writes), at ``--small`` and ``--articles`` articles, for peak memory.

Throughput excludes model loading in the measuring process (spawned workers load their own models
inside the timed run).  Peak RSS is ``getrusage`` ru_maxrss of the measuring process and, for
workers, the largest child.  Prints a Markdown table (the figures in BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20200828
EN_DATELINES = ["PARIS", "BEIJING", "MOSCOW", "WASHINGTON", "NEW DELHI", "BRUSSELS", "CAIRO", "TOKYO"]
FR_DATELINES = ["PARIS", "PÉKIN", "MOSCOU", "GENÈVE", "ALGER", "DAKAR", "BRUXELLES", "BEYROUTH"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


# --------------------------------------------------------------------------------------------------
# Corpus


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"])", " ".join(text.split()))
    return [p for p in parts if len(p.split()) >= 6]


def english_sentences(shared: Path) -> list[str]:
    """Sentences of the PLOVER gold records and the English PETRARCH validation files."""
    out: list[str] = []
    records = json.loads((shared / "bench/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt").read_text())
    out += [s for r in records if r.get("text") and r.get("language", "en") in ("en", None)
            for s in _sentences(r["text"])]
    petr = shared / "bench/UniversalPetrarch/UniversalPetrarch"
    for path in sorted(petr.glob("**/*.xml")):
        if "spanish" in str(path).lower() or "arabic" in str(path).lower():
            continue
        for text in re.findall(r"<Text>(.*?)</Text>", path.read_text(errors="ignore"), re.S):
            out += _sentences(re.sub(r"<[^>]+>", " ", text))
    return sorted(set(out))


def french_sentences(shared: Path) -> list[str]:
    """Sentences of the FR-TimeBank documents (tags stripped)."""
    out: list[str] = []
    for path in sorted((shared / "bench/FR-TimeBank/Data").glob("*.tml")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        out += [s for s in _sentences(text) if not re.fullmatch(r"[\d\s-]+\w?", s)]
    return sorted(set(out))


def build_corpus(shared: Path, n: int, seed: int = SEED) -> list[dict]:
    """n articles of 400-800 words, 2 English for each French one; the same n gives the same texts."""
    rng = random.Random(seed)
    pools = {"en": english_sentences(shared), "fr": french_sentences(shared)}
    out = []
    for i in range(n):
        lang = "fr" if i % 3 == 2 else "en"
        month, day = rng.randrange(12), rng.randrange(1, 29)
        published = f"2020-{month + 1:02d}-{day:02d}"
        if lang == "en":
            lead = f"{rng.choice(EN_DATELINES)}, {MONTHS[month]} {day} (dyad) --"
        else:
            lead = f"{rng.choice(FR_DATELINES)}, {day} {MONTHS[month].lower()} (dyad) -"
        target, words, paras = rng.randint(400, 800), 0, []
        while words < target:
            para = " ".join(rng.sample(pools[lang], rng.randint(2, 4)))
            paras.append(para)
            words += len(para.split())
        text = lead + " " + "\n\n".join(paras)
        out.append({"id": f"speed-{i:05d}", "lang": lang, "published": published,
                    "source": f"outlet-{i % 17}", "text": text})
    return out


# --------------------------------------------------------------------------------------------------
# Measurements (each runs in a fresh process: `speed.py measure MODE ...`)


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def measure_bare(corpus: Path) -> dict:
    from dyad.language import nlp

    rows = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    by_lang: dict[str, list[str]] = {}
    for r in rows:
        by_lang.setdefault(r["lang"], []).append(r["text"])
    for lang in by_lang:
        nlp(lang)
    started = time.perf_counter()
    tokens = 0
    for lang, texts in by_lang.items():
        for doc in nlp(lang).pipe(texts, batch_size=32):
            tokens += len(doc)
    took = time.perf_counter() - started
    return {"articles": len(rows), "seconds": took, "tokens": tokens}


def _timed_store_writes() -> list[float]:
    """Seconds of every ``Store.add`` call in this process (the one DuckDB writer) from now on."""
    from dyad.store import Store

    times: list[float] = []
    add = Store.add

    def timed(self, articles):
        started = time.perf_counter()
        try:
            return add(self, articles)
        finally:
            times.append(time.perf_counter() - started)

    Store.add = timed
    return times


def _median_ms(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2] * 1000 if xs else 0.0


def measure_e2e(corpus: Path, workers: int) -> dict:
    from dyad.cli import main
    from dyad.language import nlp

    if workers == 1:
        nlp("en"), nlp("fr")
    n = sum(1 for _ in corpus.open(encoding="utf-8"))
    writes = _timed_store_writes()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "speed.duckdb"
        started = time.perf_counter()
        status = main(["extract", str(corpus), "--db", str(db), "-o", "/dev/null", "--force", "--quiet",
                       "--workers", str(workers)])
        took = time.perf_counter() - started
        import duckdb

        with duckdb.connect(str(db), read_only=True) as con:
            events = con.execute("SELECT count(*) FROM events").fetchone()[0]
            clusters = con.execute("SELECT count(*) FROM corpus_events").fetchone()[0]
    tenth = max(1, len(writes) // 10)  # store cost per batch, first and last tenth of the run (median)
    return {"articles": n, "seconds": took, "status": status, "events": events, "clusters": clusters,
            "store_ms_first": _median_ms(writes[:tenth]), "store_ms_last": _median_ms(writes[-tenth:])}


def _measure(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    result = measure_bare(corpus) if args.mode == "bare" else measure_e2e(corpus, args.workers)
    result["peak_mb"], result["child_peak_mb"] = _peak_mb()
    print(json.dumps(result))
    return 0


def _run(mode: str, corpus: Path, workers: int = 1) -> dict:
    cmd = [sys.executable, __file__, "measure", mode, str(corpus), "--workers", str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------------


def _write(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def bench(args: argparse.Namespace) -> int:
    shared = Path(args.shared)
    rows = build_corpus(shared, args.articles)
    words = sum(len(r["text"].split()) for r in rows) / len(rows)
    print(f"corpus: {len(rows)} articles, {words:.0f} words on average", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        big = _write(rows, Path(tmp) / "big.jsonl")
        small = _write(rows[:args.small], Path(tmp) / "small.jsonl")
        results: dict[str, dict] = {}
        plan = [("bare", big, 1), ("e2e-1", big, 1), ("e2e-2", big, 2), ("e2e-1-small", small, 1),
                ("e2e-2-small", small, 2)]
        for name, corpus, workers in plan:
            results[name] = r = _run(name.split("-")[0], corpus, workers)
            print(f"{name}: {json.dumps(r)}", file=sys.stderr)
    print(report(results, args))
    return 0


def _rate(r: dict) -> float:
    return r["articles"] / r["seconds"]


def report(res: dict[str, dict], args: argparse.Namespace) -> str:
    """The Markdown table for BENCHMARKS.md."""
    bare = _rate(res["bare"])
    lines = [f"Command: `make bench-speed` (= `.venv/bin/python bench/speed.py --shared ../shared "
             f"--articles {args.articles} --small {args.small}`)", "",
             "| run | articles | articles/s | × bare parse | peak RSS main (MB) | peak RSS worker (MB) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |",
             f"| bare `nlp.pipe` (ceiling) | {res['bare']['articles']} | {bare:.2f} | 1.00 | "
             f"{res['bare']['peak_mb']:.0f} | – |"]
    for name, label in [("e2e-1-small", "extract, 1 worker"), ("e2e-1", "extract, 1 worker"),
                        ("e2e-2-small", "extract, 2 workers"), ("e2e-2", "extract, 2 workers")]:
        r = res[name]
        child = f"{r['child_peak_mb']:.0f}" if name.startswith("e2e-2") else "–"
        lines.append(f"| {label} | {r['articles']} | {_rate(r):.2f} | {_rate(r) / bare:.2f} | "
                     f"{r['peak_mb']:.0f} | {child} |")
    lines.append("\nStore writes (`Store.add`, one batch of 32 articles), median of the first and last tenth of "
                 "the batches: " + "; ".join(
                     f"{res[k]['articles']} articles, {k[4]} worker(s): {res[k]['store_ms_first']:.0f} → "
                     f"{res[k]['store_ms_last']:.0f} ms" for k in ("e2e-1-small", "e2e-1", "e2e-2-small", "e2e-2")
                     if "store_ms_first" in res[k]) + ".")
    for w, key, who in (("1", "peak_mb", "the process"), ("2", "child_peak_mb", "largest worker"),
                        ("2", "peak_mb", "coordinating process (the DuckDB writer)")):
        small, big = res[f"e2e-{w}-small"], res[f"e2e-{w}"]
        lines.append(f"\nPeak memory, {w} worker(s), {who}, {small['articles']} → {big['articles']} articles: "
                     f"{small[key]:.0f} → {big[key]:.0f} MB ({(big[key] / small[key] - 1) * 100:+.0f}%).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd")
    m = sub.add_parser("measure", help="(internal) one measurement in this process")
    m.add_argument("mode", choices=["bare", "e2e"])
    m.add_argument("corpus")
    m.add_argument("--workers", type=int, default=1)
    p.add_argument("--shared", default="../shared", help="the shared/ folder (default ../shared)")
    p.add_argument("--articles", type=int, default=5000, help="corpus size (default 5000)")
    p.add_argument("--small", type=int, default=1000, help="the smaller run for memory (default 1000)")
    p.add_argument("--write-corpus", metavar="FILE", help="only write the corpus as JSONL here")
    args = p.parse_args(argv)
    if args.cmd == "measure":
        return _measure(args)
    if args.write_corpus:
        _write(build_corpus(Path(args.shared), args.articles), Path(args.write_corpus))
        return 0
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
