"""`make bench-linear`: coding time and peak memory of one text at 10 KB, 100 KB and 1 MB.

    .venv/bin/python bench/linear.py --shared ../shared [--sizes 10000,100000,1000000] [--shapes news,lines,line]

Texts are built from real news sentences (the English sentences `bench/speed.py` takes from the
PLOVER and PETRARCH benchmark data in ../shared/bench), in three shapes:

* ``news``: paragraphs of five sentences separated by blank lines (an article, only longer);
* ``lines``: one sentence per line (a pasted list, a log: many short lines);
* ``line``: every sentence on one line, no line break at all.

Each (shape, size) runs ``dyad.pipeline.extract`` once in a fresh process (models loaded and
warmed up first, not timed): wall time of the extraction, peak RSS of the process (``getrusage``),
and per shape the ratio of each size's time to the previous size's (10x the text: a linear coder
is near 10x, a quadratic one near 100x).  Prints a Markdown table (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SHAPES = ("news", "lines", "line")


def build(shared: Path, size: int, shape: str) -> str:
    """A text of `size` characters of real news sentences in the given shape."""
    from speed import english_sentences

    sents = english_sentences(shared)
    out: list[str] = []
    total, i = 0, 0
    while total < size:
        out.append(sents[i % len(sents)])
        total += len(out[-1]) + 1
        i += 1
    if shape == "news":
        text = "\n\n".join(" ".join(out[k:k + 5]) for k in range(0, len(out), 5))
    else:
        text = ("\n" if shape == "lines" else " ").join(out)
    return text[:size]


def measure(shared: Path, size: int, shape: str) -> dict:
    """Run in this process: build, warm up, extract once."""
    from dyad.pipeline import extract

    text = build(shared, size, shape)
    extract("Wang Yi met Sergey Lavrov in Moscow on Friday, officials in Paris said.", lang="en",
            published="2020-03-28")
    started = time.perf_counter()
    article = extract(text, lang="en", published="2020-03-28")
    took = time.perf_counter() - started
    return {"shape": shape, "size": size, "seconds": round(took, 2), "events": len(article.events),
            "quotes": len(article.quotes),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--one", help=argparse.SUPPRESS)  # "shape:size": measure in this process
    args = ap.parse_args(argv)
    if args.one:
        shape, size = args.one.split(":")
        print(json.dumps(measure(args.shared, int(size), shape)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| shape | size | seconds | x previous | peak RSS MB | events | quotes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in args.shapes.split(","):
        previous = None
        for size in sizes:
            run = subprocess.run([sys.executable, __file__, "--shared", str(args.shared), "--one", f"{shape}:{size}"],
                                 capture_output=True, text=True, check=True)
            r = json.loads(run.stdout.strip().splitlines()[-1])
            ratio = f"{r['seconds'] / previous:.1f}" if previous else ""
            previous = max(r["seconds"], 0.01)
            print(f"| {shape} | {size // 1000} KB | {r['seconds']:.1f} | {ratio} | {r['peak_mb']} | "
                  f"{r['events']} | {r['quotes']} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
